from django.urls import reverse

FINDER = "/atlas/"


def post(client, marks=(), **extra):
    data = {"mark": [key for key, _ in marks]}
    data.update({f"intensity:{key}": str(level) for key, level in marks})
    data.update(extra)
    return client.post(FINDER, data)


def names(response):
    return [s.muscle.id for s in response.context["suggestions"]]


def test_it_shows_an_empty_map_with_guidance(client, cast, signed_in):
    signed_in(cast.clinician)
    response = client.get(FINDER)
    assert response.status_code == 200
    assert b"Mark where it hurts" in response.content
    body = response.content.decode()
    assert body.count('class="region ') > 150  # every place on the figures
    assert "Patient&#x27;s right" in body and "Patient&#x27;s left" in body


def test_it_refuses_the_finder_to_front_desk(client, cast, signed_in):
    signed_in(cast.front_desk)
    assert client.get(FINDER).status_code == 403


def test_it_sends_anonymous_visitors_to_login(client, db):
    assert client.get(FINDER).status_code == 302


def test_it_ranks_temporalis_and_upper_trapezius_for_a_temple(client, cast, signed_in):
    signed_in(cast.clinician)
    found = names(post(client, [("head_temporal:left", 7)]))
    assert found[0] == "temporalis"
    assert "trapezius_upper" in found[:5]


def test_it_explains_each_suggestion(client, cast, signed_in):
    signed_in(cast.clinician)
    response = post(client, [("head_temporal:left", 7)])
    first = response.context["suggestions"][0]
    assert first.side == "left"
    assert first.essential == ("Patient's left: Temple / side of head",)
    assert b"Essential zone:" in response.content


def test_it_returns_only_the_suggestions_to_htmx(client, cast, signed_in):
    signed_in(cast.clinician)
    response = client.post(
        FINDER, {"mark": ["heel:left"], "intensity:heel:left": "6"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="suggestions"')
    assert "Soleus" in body
    assert "<html" not in body


def test_it_flags_high_risk_sites_prominently(client, cast, signed_in):
    signed_in(cast.clinician)
    response = post(
        client,
        [
            ("chest_anterior:left", 8),
            ("upper_arm_anterior:left", 6),
            ("scapula_medial_border:left", 6),
        ],
    )
    high = [s for s in response.context["suggestions"] if s.muscle.high_risk]
    assert high, "a scalene-type pattern should surface a high-risk muscle"
    assert "High-risk site." in response.content.decode()


def test_it_keeps_chosen_muscles_checked(client, cast, signed_in):
    signed_in(cast.clinician)
    response = post(client, [("head_temporal:left", 7)], examine=["temporalis:left"])
    chosen = [s for s in response.context["suggestions"] if s.chosen]
    assert [(s.muscle.id, s.side) for s in chosen] == [("temporalis", "left")]


def test_it_keeps_a_chosen_muscle_that_drops_out_of_the_list(client, cast, signed_in):
    signed_in(cast.clinician)
    response = post(client, [("heel:left", 7)], examine=["temporalis:left"])
    assert response.context["chosen_hidden"] == ["temporalis:left"]


def test_it_rejects_unknown_regions_without_an_error_page(client, cast, signed_in):
    signed_in(cast.clinician)
    response = post(client, [("elbow_of_doom:left", 5), ("heel:left", 5)])
    assert response.status_code == 200
    assert "Unknown body region" in response.content.decode()
    assert "soleus" in names(response)  # the valid mark is kept


def test_it_rejects_a_midline_region_with_a_side(client, cast, signed_in):
    signed_in(cast.clinician)
    assert b"Unknown body region" in post(client, [("sternum:left", 5)]).content


def test_it_rejects_intensities_outside_0_to_10(client, cast, signed_in):
    signed_in(cast.clinician)
    assert (
        b"intensity must be a whole number from 0 to 10"
        in post(client, [("heel:left", 11)]).content
    )


def test_it_rejects_no_pain_with_marks(client, cast, signed_in):
    signed_in(cast.clinician)
    response = post(client, [("heel:left", 5)], no_pain="on")
    assert "choose one or the other" in response.content.decode()


def test_it_lists_and_searches_muscles(client, cast, signed_in):
    signed_in(cast.nurse)
    everything = client.get(reverse("atlas:muscle_list"))
    assert len(everything.context["muscles"]) == 88
    found = client.get(reverse("atlas:muscle_list"), {"q": "trap"}).context["muscles"]
    assert {m.id for m in found} == {"trapezius_upper", "trapezius_middle", "trapezius_lower"}


def test_it_draws_a_muscles_pattern(client, cast, signed_in):
    signed_in(cast.clinician)
    response = client.get(reverse("atlas:muscle_detail", args=["temporalis"]))
    body = response.content.decode()
    assert 'data-key="head_temporal:left"' in body
    assert "region marked trp" in body and "region marked primary" in body
    assert "Essential referral zone" in body


def test_it_labels_unverified_patterns(client, cast, signed_in):
    from taut.clinical.atlas import MUSCLES

    memory = next(m for m in MUSCLES.values() if m.evidence != "seen")
    signed_in(cast.clinician)
    response = client.get(reverse("atlas:muscle_detail", args=[memory.id]))
    assert b"unverified" in response.content


def test_it_answers_an_unknown_muscle_with_404(client, cast, signed_in):
    signed_in(cast.clinician)
    assert client.get(reverse("atlas:muscle_detail", args=["spleen"])).status_code == 404


def test_it_rejects_a_unicode_digit_as_an_intensity_instead_of_failing(client, cast, signed_in):
    """ "²" passes str.isdigit() but int() refuses it: a clear error, not a 500."""
    signed_in(cast.clinician)
    response = post(client, [("heel:left", "²")])
    assert response.status_code in (200, 400)
    assert b"intensity must be a whole number from 0 to 10" in response.content


# Ligaments and tendons (issue 15)

LOW_BACK_AND_BUTTOCK = [
    ("low_back:left", 5),
    ("buttock:left", 5),
    ("sacroiliac:left", 5),
    ("iliac_crest_posterior:left", 5),
]


def test_it_suggests_the_iliolumbar_ligament_among_the_muscles_with_its_kind(
    client, cast, signed_in
):
    signed_in(cast.clinician)
    response = post(client, LOW_BACK_AND_BUTTOCK)
    found = {s.muscle.id: s for s in response.context["suggestions"]}
    assert "quadratus_lumborum" in found and "iliolumbar_ligament" in found
    iliolumbar = found["iliolumbar_ligament"]
    assert (iliolumbar.kind_label, iliolumbar.side) == ("Ligament", "left")
    assert found["quadratus_lumborum"].kind_label == "Muscle"
    body = response.content.decode()
    assert '<span class="tag">Ligament</span>' in body
    assert 'value="iliolumbar_ligament:left"' in body
    # Chosen to examine first, a structure comes back ticked (a midline one as "midline").
    again = post(
        client,
        [("low_back:left", 5)],
        examine=["iliolumbar_ligament:left", "lumbar_interspinous_ligaments:midline"],
    )
    found = {s.muscle.id: s for s in again.context["suggestions"]}
    midline = found["lumbar_interspinous_ligaments"]
    assert (midline.side, midline.key) == ("midline", "lumbar_interspinous_ligaments:midline")
    chosen = {s.key for s in again.context["suggestions"] if s.chosen}
    assert chosen == {"iliolumbar_ligament:left", "lumbar_interspinous_ligaments:midline"}


def test_it_refuses_a_side_a_site_does_not_have(client, cast, signed_in):
    signed_in(cast.clinician)
    wrong = ["lumbar_interspinous_ligaments:left", "iliolumbar_ligament:midline"]
    body = post(client, [("low_back:left", 5)], examine=wrong).content.decode()
    assert "Unknown site “lumbar_interspinous_ligaments:left”" in body
    assert "Unknown site “iliolumbar_ligament:midline”" in body


def test_the_index_lists_ligaments_and_tendons_with_their_kind(client, cast, signed_in):
    signed_in(cast.nurse)
    response = client.get(reverse("atlas:muscle_list"))
    assert len(response.context["muscles"]) == 88
    assert len(response.context["structures"]) == 15
    body = response.content.decode()
    assert "Ligaments and tendons" in body and "Tendon insertion" in body
    tendons = client.get(reverse("atlas:muscle_list"), {"q": "tendon"}).context["structures"]
    assert "achilles_insertion" in {s.id for s, _, _ in tendons}


def test_a_structures_page_draws_its_pattern_with_cautions_and_sources(client, cast, signed_in):
    signed_in(cast.clinician)
    body = client.get(reverse("atlas:muscle_detail", args=["sacrotuberous_ligament"])).content
    page = body.decode()
    assert "Ligament" in page and "ischial tuberosity" in page  # kind and location
    assert "region marked trp" in page and "region marked primary" in page
    assert "High-risk injection site" in page and "pudendal" in page
    assert "massagetoday.com" in page  # a source
    assert "Hackett" in page


def test_a_structures_page_says_unverified_and_no_steroid_plainly(client, cast, signed_in):
    signed_in(cast.clinician)
    sacrospinous = client.get(reverse("atlas:muscle_detail", args=["sacrospinous_ligament"]))
    assert "Unverified referral pattern" in sacrospinous.content.decode()
    achilles = client.get(reverse("atlas:muscle_detail", args=["achilles_insertion"]))
    page = achilles.content.decode()
    assert "No steroid into this tendon." in page
    assert "No referral pattern recorded" in page
