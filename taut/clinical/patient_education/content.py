"""The public page's content: its sections, each fact with the ids of its sources, and the
sources listed at the bottom of the page (see the package's docstring)."""

from dataclasses import dataclass

from taut.clinical.wording import gettext_noop as _

VERSION = "2026.1"


@dataclass(frozen=True)
class Source:
    """A source listed at the bottom of the page: its id, title and public address."""

    id: str
    title: str
    url: str


# fmt: off
SOURCES: tuple[Source, ...] = (
    Source("P1", "WVU Medicine, Ruby Memorial Hospital Pain Management Center. Patient "
           "instructions: Trigger point injection.",
           "https://wvumedicine.org/ruby-memorial-hospital/services/wvu-specialty-clinics/"
           "pain-management-center/patient-instructions/trigger-point-injection/"),
    Source("P2", "Australasian Association of Musculoskeletal Medicine. Trigger points.",
           "https://aamm.org.au/trigger-points"),
    Source("S1", "Alvarez DJ, Rockwell PG. Trigger points: diagnosis and management. "
           "Am Fam Physician. 2002;65(4):653-660.",
           "https://www.aafp.org/pubs/afp/issues/2002/0215/p653.html"),
    Source("S3", "Shipton B, Sunkesula S, Mall N. Trigger point management. Am Fam "
           "Physician. 2023;107(2):159-164.",
           "https://www.aafp.org/pubs/afp/issues/2023/0200/trigger-point-management.html"),
    Source("S8", "Kishner S. Trigger point injection. Medscape.",
           "https://emedicine.medscape.com/article/1997731-overview"),
    Source("S9", "FPnotebook. Trigger point injection.",
           "https://fpnotebook.com/Rheum/Procedure/TrgrPntInjctn.htm"),
    Source("S10", "Hong CZ. Lidocaine injection versus dry needling to myofascial trigger "
           "point. Am J Phys Med Rehabil. 1994.",
           "https://pubmed.ncbi.nlm.nih.gov/8043247/"),
    Source("S13", "Patient Care. Trigger point injections.",
           "https://www.patientcareonline.com/view/trigger-point-injections"),
    Source("S15", "Roldan CJ, et al. Normal saline trigger point injections vs conventional "
           "active drug mix. Am J Emerg Med. 2020.",
           "https://mdanderson.elsevierpure.com/en/publications/"
           "normal-saline-trigger-point-injections-vs-conventional-active-dru"),
    Source("S17", "Scott NA, et al. Trigger point injections for chronic non-malignant "
           "musculoskeletal pain: a systematic review. Pain Med. 2009.",
           "https://academic.oup.com/painmedicine/article/10/1/54/1835487"),
    Source("S20", "Appasamy M, et al. Trigger point injections. Phys Med Rehabil Clin N "
           "Am. 2022.",
           "https://pmc.ncbi.nlm.nih.gov/articles/PMC9116734/"),
    Source("S25", "AHCPR. Acute low back problems in adults: red flags. NCBI Bookshelf.",
           "http://www.ncbi.nlm.nih.gov/books/NBK52120/table/A34364/"),
    Source("S26", "Childress MA, Stuek SJ. Neck pain: initial evaluation and management. "
           "Am Fam Physician. 2020;102(3):150-156.",
           "https://www.aafp.org/pubs/afp/issues/2020/0801/p150.html"),
    Source("S27", "GPonline. Neck pain: red flag symptoms.",
           "http://www.gponline.com/neck-pain-red-flag-symptoms/pain/musculoskeletal/"
           "article/1149841"),
    Source("S56", "Blue Cross Blue Shield of Massachusetts. Medical policy 604: trigger "
           "point and tender point injections.",
           "https://docslib.org/doc/4176588/trigger-point-and-tender-point-injections-604"),
)
# fmt: on

SOURCE_IDS = frozenset(source.id for source in SOURCES)


@dataclass(frozen=True)
class Item:
    """One fact of the page, in plain words, with the ids of the sources it comes from."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A part of the page: an ``id`` for its anchor, a heading, an optional lead sentence
    and its items (shown as a list)."""

    id: str
    heading: str
    items: tuple[Item, ...]
    lead: str = ""

    @property
    def sources(self) -> tuple[str, ...]:
        """The section's sources, each once, in the order its items cite them."""
        return tuple(dict.fromkeys(s for item in self.items for s in item.sources))


def _i(text: str, *sources: str) -> Item:
    return Item(text, sources)


# fmt: off
SECTIONS: tuple[Section, ...] = (
    Section("what", _("What are trigger points and trigger point injections?"), (
        _i(_("A trigger point is a tight, tender knot in a muscle."), "S1", "P2"),
        _i(_("It hurts when pressed. It can also send pain to other places, like from the "
             "neck up into the head."), "S1", "P2"),
        _i(_("In a trigger point injection, a clinician puts a thin needle into the knot."),
           "P1", "S8"),
        _i(_("Most often the shot has a numbing drug. Sometimes it has a steroid too."),
           "P1", "S9"),
        _i(_("The aim is less pain and easier movement."), "P1"),
    )),
    Section("who", _("Who can they help?"), (
        _i(_("People with muscle pain from trigger points, called myofascial pain."), "S8",
           "S1"),
        _i(_("People with a tight, sore neck, shoulders, or back."), "S17", "P2"),
        _i(_("Some people with headaches that start in the neck muscles."), "S9", "S17"),
        _i(_("For fibromyalgia, experts do not agree. Ask us if they could help you."),
           "S8", "S56"),
        _i(_("They are most often used when stretching, exercise, massage, or physical "
             "therapy have not helped enough."), "S3", "S56"),
    )),
    Section("not-for", _("Who should not have them, or needs a different check first?"), (
        _i(_("Not where the skin has an infection, a rash, or a cut."), "S9"),
        _i(_("Not if you have a fever or an infection in your body."), "S9"),
        _i(_("Not if you are allergic to the numbing drug. Tell us, since there are other "
             "choices."), "S9"),
        _i(_("Not in a muscle you hurt badly in the last few weeks."), "S9"),
        _i(_("Some pain needs a different check first. This is true if you have had "
             "cancer, lost weight without trying, or have pain at night that nothing "
             "helps."), "S9", "S25", "S26"),
        _i(_("It is also true if weakness or numbness in your arms or legs is getting "
             "worse."), "S25", "S26"),
    ), lead=_("Trigger point injections are not right for everyone.")),
    Section("emergency", _("When to call {number}"), (
        _i(_("You cannot control your bladder or bowel, and this is new."), "S25", "S26"),
        _i(_("The skin between your legs or around your bottom is numb."), "S25"),
        _i(_("You have sudden, tearing neck pain."), "S26"),
        _i(_("You have signs of a stroke. Your face droops, an arm is weak, or your speech "
             "is slurred."), "S26"),
    ), lead=_("Call {number} now if any of these happen. Do not wait for an appointment.")),
    Section("how-well", _("How well do they work?"), (
        _i(_("For many people the pain eases right away. The relief often lasts a short "
             "time, like days or weeks."), "S15", "S20"),
        _i(_("Some people feel better after one visit. Others need a few visits."), "P2",
           "S1"),
        _i(_("They work best as part of a plan with stretching, exercise, or physical "
             "therapy."), "S3", "P1"),
        _i(_("Studies are small, and they do not agree. Some find less pain. Others find no "
             "clear gain."), "S17", "S3"),
        _i(_("Studies find the same relief with different drugs, and even with salt "
             "water. So the needle itself may be what helps."), "S15", "S3"),
        _i(_("Your care team will tell you what they think, based on your health and your "
             "goals."), "S3"),
    )),
    Section("before", _("Before: what to tell us"), (
        _i(_("If you take a medicine that thins your blood, like warfarin or daily "
             "aspirin."), "S9", "S1"),
        _i(_("If you have allergies, most of all to numbing drugs."), "S9"),
        _i(_("If you are pregnant, or could be."), "S9"),
        _i(_("If you have diabetes. A steroid can raise your blood sugar."), "S9"),
        _i(_("If you are afraid of needles. That is fine. We will talk it through with "
             "you."), "P1"),
    )),
    Section("during", _("During: what happens"), (
        _i(_("It is done in the clinic. You stay awake."), "P1"),
        _i(_("You sit or lie down. We clean the skin."), "P1"),
        _i(_("We use a very thin needle. You may feel pressure and a short, sharp sting. "
             "The muscle may twitch."), "P1", "P2", "S8"),
        _i(_("We may treat a few spots in one visit."), "S8", "P2"),
        _i(_("It takes about 10 minutes. Then we watch you for about 15 minutes."), "P1"),
    )),
    Section("after", _("After: what to expect"), (
        _i(_("The spot may be sore or numb for a few days. This is common."), "S13",
           "S10"),
        _i(_("Ice, gentle stretches, and light use of the muscle can help."), "P1", "S8"),
        _i(_("Avoid hard work with that muscle for a day or two."), "S8"),
        _i(_("Call us if the spot gets red, warm, or swollen, or if you get a fever."),
           "S13"),
        _i(_("Call {number} if you have trouble breathing or chest pain. Also call {number} if "
             "your face or throat swells."), "S9", "S13"),
    )),
    Section("questions", _("Questions to ask your care team"), (
        _i(_("Could my pain come from trigger points, or from something else?"), "S3"),
        _i(_("What should I try first, or along with the shots?"), "S3"),
        _i(_("What drug will you use, and why?"), "S3"),
        _i(_("How many visits might I need? How will we know if it works?"), "S1", "S3"),
        _i(_("What should I do if the pain comes back?"), "S3"),
    )),
)
# fmt: on
