"""The patterns that find a person's name in free text: after a title ("Dr Patel", "Dr A.
Khan"), a lower-case "mr"/"mrs", a care role that is no title ("my carer Julie"), a
self-introduction ("my name is Jo") or a person and "is", "was", "called" or "named" ("her
name was Julie", "a lady called Julie", "the nurse is Julie"); and the words after them
that are no name. Used by
:mod:`pipelines.redact`; the other details' patterns are in :mod:`pipelines.redact_patterns`.
"""

from __future__ import annotations

import re

from pipelines.redact_patterns import CAPITAL_LETTER as _CAPITAL

#: Capitalised words that follow a title or an introduction without being a name.
_NOT_NAME = (
    r"(?!(?:The|And|But|Or|If|So|At|On|In|Of|To|From|For|With|Was|Is|Are|Who|When|Said"
    r"|Told|Ward|Hospital|Surgery|Practice|Clinic|Team|Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September"
    r"|October|November|December|NHS|GP|GPs|A&E|Not|No|Very|Really|Also|Too|Here"
    r"|Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Doctor|Nurse|Sister|Matron|Cllr|Councillor|Revd?)\b)"
)
#: Words that start a sentence or say how good something was, not a name, where a title or
#: role's full stop is left off or a comment is written in Title Case ("Dr K. Staff were
#: lovely", "Excellent GP Excellent service", "As a carer I'm exhausted", "My GP Has Been
#: Great"); a contraction ("I'm", "Didn't") never starts a name. Checked on a name's first
#: word only: "Dr Li Sun" keeps its surname.
_EVERYDAY = (
    r"(?!(?:He|She|They|We|It|You|This|That|These|Those|There|Then|Instead|Later|After"
    r"|Before|Staff|Everyone|Everybody|Everything|Every|Nobody|Nothing|Thank|Thanks|Overall"
    r"|However|Unfortunately|Sadly|Luckily|Please|Why|What|How|Where|Although|Because|Since"
    r"|Until|While|Now|Today|Yesterday|Tomorrow|Anyway|Otherwise|Life|Some|Many|Most|All"
    r"|Sometimes|Often|Always|Never|My|Our|Their|His|Your|Its|Mon|Tue|Tues|Wed|Thu|Thur"
    r"|Thurs|Fri|Sat|Yes|Good|Great|Excellent|Lovely|Fantastic|Brilliant|Amazing|Friendly"
    r"|Helpful|Kind|Caring|Rude|Poor|Bad|Terrible|Awful|Outstanding|Professional|Polite"
    r"|Efficient|Quick|Slow|Late|Fine|OK|Okay|Ok|Nice|Superb|Wonderful|Perfect|Happy"
    r"|Unhappy|Disappointed|Impossible|Difficult|Easy|Has|Had|Have|Having|Was|Were|Be|Been"
    r"|Being|Can|Could|Would|Should|Did|Does|Do|Need|Needs|Deserve|Deserves|Get|Gets|Got"
    r"|Made|Makes|Listened|Listens|Helped|Helps|Explained|Seemed|Took|Gave|Came|Went|Kept"
    r"|Money|Family|Covid|Social|Exceptional|Marvellous|Awesome|Incredible|Unhelpful|Dismissive"
    r"|Attentive|Thorough|Knowledgeable|Compassionate|Considerate|Reassuring"
    r"|Understanding|Supportive|Informative|Courteous|Respectful|Welcoming|Calm|Busy|Early"
    r"|Horrible|Dreadful|Shocking|Appalling|Useless|Abrupt|Arrogant|Condescending|Cold"
    r"|Sympathetic|Approachable|Male|Female|Off|Away|Available|Unavailable|Absent|Retired"
    r"|Leaving)\b|[\w]+(?:'|\u2019)(?:m|ve|d|ll|re|t)\b)"
)
#: Lower-case particles inside a name ("Mrs de Souza", "Dr van der Berg", "Mr al-Hassan").
_PARTICLE = (
    r"(?:(?:de|del|della|der|den|van|von|da|di|du|le|la|bin|ibn|ap|st)\s{1,3}"
    r"|(?:al|el)-(?=[^\W\d_]))"
)
_NAME_WORD = rf"(?:{_PARTICLE}){{0,2}}{_NOT_NAME}{_CAPITAL}[\w'\u2019-]{{1,30}}+"
_NAME_WORDS = rf"{_NAME_WORD}(?:\s{{1,3}}{_NAME_WORD}){{0,2}}"
#: Initials before a surname after a title ("Dr A. Khan", "Mrs J R Smith").
_INITIALS = rf"(?:{_CAPITAL}(?:\.\s{{0,3}}|\s{{1,3}})){{1,3}}(?={_EVERYDAY}{_NAME_WORD})"
#: A title and the capitalised name after it.
TITLE_NAME = re.compile(
    r"(?P<lead>[DdMmPpNnSsCcRr](?<![\w.][DdMmPpNnSsCcRr])"
    # abbreviations may end in a full stop; whole words may not ("a district nurse. Above")
    # ("MS", the illness, is no title: "I have MS Society support")
    r"(?:(?:(?<=[Dd])(?i:r)|(?<=[Mm])(?:rs|r|s|x|RS|Rs|R|X)|(?<=[Pp])(?i:rof)|(?<=[Cc])(?i:llr)"
    r"|(?<=[Rr])(?i:evd|ev))\b\.?"
    r"|(?:(?<=[Dd])(?i:octor)|(?<=[Mm])(?i:atron)|(?<=M)iss|(?<=[Pp])(?i:rofessor)"
    r"|(?<=[Nn])(?i:urse)|(?<=[Ss])(?i:ister)|(?<=[Cc])(?i:ouncillor))\b)"
    r"\s{1,3})"
    rf"(?P<name>(?:{_INITIALS})?{_EVERYDAY}{_NAME_WORDS})"
)
#: A care role and the capitalised name after it ("my carer Julie", "Midwife Sophie
#: Turner", "HCA Tom", "carers Julie and Sam", "the support worker (Tom)", "my carer is
#: Julie", "a carer called Julie"): the role words that are no title, each also in the
#: plural. The words after a role that name a job, a
#: service or a family member, not a person, are kept ("Midwife Led Unit", "Carer
#: Support", "Physio Exercises", "my carer Mum"), as is a word ending like a job or a
#: service ("Neurologist", "Paediatrician", "Assessment"). "Consultant" is left to the
#: titles ("the consultant Mr Jones"): what follows it is nearly always a specialty.
ROLE_WORDS = (
    "midwife", "carer", "receptionist", "hca", "paramedic", "physio", "physiotherapist",
    "porter", "health visitor", "social worker", "support worker", "care worker",
    "key worker", "keyworker", "therapist", "pharmacist", "care manager", "ward manager",
    "home manager", "healthcare assistant", "health care assistant", "nursing assistant",
    "district nurse", "gp", "ot", "cpn", "counsellor", "dentist", "optician",
    "psychologist", "occupational therapist", "dietitian", "podiatrist", "sonographer",
    "radiographer", "phlebotomist", "advocate",
)  # fmt: skip
#: Each role word and its plural ("midwives", "carers", "social workers"). (Words
#: :data:`_NOT_NAME` holds, "Team", "Sister", are no name after a role either.)
ROLE_FORMS = tuple(
    form
    for word in ROLE_WORDS
    for form in (word, word[:-2] + "ves" if word.endswith("fe") else word + "s")
)
_NOT_PERSON = (
    r"(?!(?:Led|Lead|Support|Services?|Units?|Department|Dept|Centres?|Centers?|Practitioners?"
    r"|Prescriber|Assistants?|Associate|Workers?|Managers?|Surgeons?|Specialists?|Physicians?"
    r"|Advis[eo]rs?|Co-?ordinators?|Apprentices?|Trainees?|Students?|Bank|Allowance"
    r"|Visits?|Review|Line|Roles?|Training|Pay|Hub|Network|Group|Forum|Mum|Mam|Mom|Dad"
    r"|Mother|Father|Wife|Husband|Son|Daughter|Partner|Nan|Gran|Grandma|Grandad"
    r"|Brother|Letters?|Referrals?|Breaks?|Passports?|Respite|Exercises?|Sessions?|Gym"
    r"|Crew|Scheme|Checks?|Duty|Birth|Advice|Home|Care|Health|Plan|Teams|Office"
    r"|Room|Desk|Staff|Shortages?|Cover|Rota|Hours|Time|Times|Calls?|Contact|Number"
    r"|Polish|Romanian|English|British|Scottish|Welsh|Irish|Indian|Filipino|Nigerian"
    r"|Ghanaian|Zimbabwean|Portuguese|Spanish|Italian|Bulgarian|Lithuanian|African|Asian"
    r"|European|Agency|Private|Council|Local|Community|Mental|Adult|Child|Children|UK"
    r"|Independent|Senior|Junior|Clinical|Registered|Qualified|Chief|Head|Deputy|Trust"
    r"|Week|Direct|Lounge|Caf[eé]|Rights|Emergency|Project|Patients?|Triage|Telephone|Phone"
    r"|Extended|Registrar|Locum|Out|Online|App|Vaccines?|First|Friendly|Occupational"
    r"|Talking|Federation|Surgeries|Practices|Nursing|Meeting|Booking|Parking|Housing|Funding|Waiting"
    r"|Unpaid|Young|Chinese|Pakistani|Bangladeshi|Jamaican|Caribbean|Somali|Turkish|Greek"
    r"|French|German|Russian|Ukrainian|Kenyan|Muslim|Hindu|Sikh|Jewish|Christian|Catholic"
    r"|Mixed|Eastern|Western|Northern|Southern|Foreign|Overseas"
    r"|International|New|Old|Regular|Usual|Temporary|Permanent|[\w'-]*ology"
    # what a person is, rather than who ("the doctor was Clear", "the man was Deaf")
    r"|Sorry|Right|Wrong|Worried|Tired|Rushed|Sick|Ill|Honest|Warm|Fair|Lazy|Incompetent"
    r"|Uncaring|Aggressive|Deaf|Blind|Autistic|Diabetic|Epileptic|Bipolar|Disabled|Pregnant"
    r"|Clear|Fab|Super|Absolutely|Extremely|Quite|Running|Able|Unable|Aware|Band|Macmillan"
    r"|Renal|Paediatric|Orthopaedic|Iranian|Egyptian|Sudanese|Iraqi|Syrian|Kurdish"
    r"|American|Australian|Dutch|Czech|Latvian|Bengali|Tamil|Filipina|Punjabi|Afghan|Arab"
    r"|Arabic|Eritrean|Ethiopian|Nepali|Nepalese|Hungarian|Slovak|Albanian|Caucasian"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Weds|Easter|Christmas|Pharmacy"
    r"|Security|Transport|Switchboard|Maternity|Outreach|Police|Ambulance|Safeguarding"
    r"|Bupa|Uber|Type|Ex|Fabulous|Rubbish|Hopeless|Clueless|Patronising|Angels?|Heroes"
    r"|Stars?|Saints?|Spot|Top|Army|Navy|RAF|Healthwatch|Samaritans|Age|Crisis|Bed|Fire"
    r"|Back|Housebound|Frail|Vulnerable|Wheelchair|Hard|Year|Part|Referred|Discharged"
    r"|Korean|Brazilian|Sri|Vegan|Gay|Trans|Geordie|Invaluable|Disgraceful|Unacceptable"
    r"|Heartbreaking|Exhausting|Snappy"
    # a word ending like a job or a service: "Neurologist", "Paediatricians", "Assessments"
    r"|[\w'-]*(?:ologist|ician|iatrist|ist|apy|ics|ment|tion|sion)s?)\b)"
    # a word in capitals is no name after a role ("MY CARER IS ALWAYS LATE")
    r"(?=[\w'\u2019-]*?[a-z\u00df-\u00ff\u0100-\u024f])"
)
#: The capitalised words the lists above read as no name: no surname after a first name
#: (:mod:`pipelines.redact_forenames`: "Julie Brilliant", "Sharon Was Lovely").
NO_NAME_WORDS = frozenset(re.findall(r"[A-Z][A-Za-z&]+", _NOT_NAME + _EVERYDAY + _NOT_PERSON))
_ROLE_FIRST = "".join(sorted({w[0] + w[0].upper() for w in ROLE_WORDS}))
_ROLE_NAME_WORD = rf"{_NOT_PERSON}{_NAME_WORD}"
# a surname after the first name may be a word that is no name alone ("Julie French")
_ROLE_NAMES = rf"(?:{_INITIALS})?{_EVERYDAY}{_ROLE_NAME_WORD}(?:\s{{1,3}}{_NAME_WORD}){{0,2}}"
#: Up to four names joined by commas and "and" ("Julie, Sam and Jo"), after a role or a cue.
_NAME_LIST = rf"{_ROLE_NAMES}(?:(?:,?\s{{1,3}}(?:and|&)|,)\s{{1,3}}{_ROLE_NAMES}){{0,3}}"
#: What joins the names after a role ("Julie, Sam and Jo"): each is removed and counted.
ROLE_NAME_JOIN = re.compile(r"(,?\s{1,3}(?:and|&)\s{1,3}|,\s{1,3})")
ROLE_NAME = re.compile(
    # a first letter, then the rest of the word (quick to pass over: most characters are
    # not a role word's first letter); then a space, or a comma, colon, dash or bracket
    rf"(?P<lead>[{_ROLE_FIRST}](?<![\w'\u2019-][{_ROLE_FIRST}])(?:"
    + "|".join(
        f"(?<=[{first}{first.upper()}])(?i:"
        + "|".join(
            form[1:].replace(" ", r"\s{1,3}")
            for form in sorted(ROLE_FORMS, key=len, reverse=True)
            if form[0] == first
        )
        + ")"
        for first in sorted({form[0] for form in ROLE_FORMS})
    )
    + r")(?:\s{0,2}[,:(\u2013\u2014-]\s{0,3}|\s{1,3})"
    # "my carer is Julie", "a carer called Julie", "the receptionist named Karen"
    r"(?:(?i:is|was|are|were|called|named)\s{1,3})?)"
    rf"(?P<name>{_NAME_LIST})"
    r"(?![\w'\u2019-])"
)
#: A self-introduction and the capitalised name after it.
INTRO_NAME = re.compile(
    r"(?P<lead>[MmIiNn](?<![\w][MmIiNn])"
    r"(?i:y\s{1,3}name\s{1,3}is|y\s{1,3}name's|\s{0,2}'?\s{0,2}a?m\s{1,3}called|ame\s{0,2}[:=])"
    r"\s{1,3})"
    rf"(?P<name>{_NAME_WORDS})"
    r"|(?P<lead2>[Tt](?<![\w][Tt])(?i:his\s{1,3}is)\s{1,3})"
    rf"(?P<name2>{_NAME_WORD}(?:\s{{1,3}}{_NAME_WORD})?)(?=\s{{1,3}}(?i:from)\b)"
)

#: Words that follow a lower-case "mr" or "mrs" without being a name ("mrs was kind", "mr
#: and mrs").
_NOT_LOWER_NAME = """
    and or but nor so if as at on in of to from for with by about into over after before
    the a an this that my your his her our their its who whom whose which what when where
    was were is are am be been has had have having do did does done will would shall should
    can could may might must not no never also too very really just only always then there
    here said says told tells asked asks came comes come went goes go got gets get gave
    gives give took takes take made makes make rang rings called calls phoned helped helps
    explained explains saw sees seen looked looks listened listens left arrived visited
    visits seemed seems felt feels kept keeps let lets put puts used uses tried tries spoke
    speaks talked talks wrote writes sent sends smiled laughed always still often again
    now today yesterday tomorrow he she it they we i you him them us me who's he's she's
    i'm etc ok okay yes or whoever whatever loves likes thinks thought couldnt couldn't
    de del della der den van von da di du le la bin ibn ap st al el
    wasnt wasn't didnt didn't doesnt doesn't
"""
_LOWER_NAME_WORD = (
    rf"(?!(?:{'|'.join(sorted(set(_NOT_LOWER_NAME.split()), key=lambda w: (-len(w), w)))}"
    r"|mrs?|dr|ms)(?![\w'-]))[a-z][a-z'-]{1,30}+(?![\w'-])"
)
#: Words before "mr" or "mrs" that make it a noun, not a title ("my mrs loves the nurses").
_OWNERS = ("my", "the", "our", "your", "his", "her", "their")
#: "mr" or "mrs" in any case and the one or two lower-case words after it that are not
#: everyday words ("mr smith", "Mrs jones", "MR smith", "mrs jane jones"; not "mr and mrs",
#: "mrs was kind", "my mrs thinks").
LOWER_TITLE_NAME = re.compile(
    "".join(rf"(?<!(?i:{owner}) )" for owner in _OWNERS)
    + rf"(?P<lead>[mM](?<![\w.][mM])(?:rs?|RS?|Rs)\b\.?\s{{1,3}})"
    rf"(?P<name>{_LOWER_NAME_WORD}(?:\s{{1,3}}{_LOWER_NAME_WORD})?)"
)


#: Staff a name may follow with "is", "was", "are" or "were" ("the nurse was Julie.", "the
#: nurses were Julie and Sam"), besides the care roles (:data:`ROLE_FORMS`).
STAFF_NOUNS = (
    "nurse", "doctor", "consultant", "surgeon", "registrar", "matron", "manager",
    "staff member", "member of staff", "cleaner", "volunteer", "care assistant",
    "nurse practitioner", "practitioner", "psychiatrist", "anaesthetist", "technician",
    "interpreter", "team leader", "supervisor", "locum", "agency worker",
)  # fmt: skip
#: Other words for a person, which a name follows with "called" or "named" only ("a lady
#: called Julie", "a resident called Mary", "someone called Priya"): after them, "is" or
#: "was" is as often followed by a description ("my mum is Housebound").
PERSON_NOUNS = (
    *STAFF_NOUNS, "lady", "man", "woman", "gentleman", "girl", "boy", "guy", "chap", "bloke",
    "lad", "fellow", "fella", "person", "sister", "driver", "student", "officer", "patient",
    "resident", "client", "service user", "neighbour", "friend", "colleague", "relative",
    "assistant", "specialist", "security guard", "chef", "cook", "owner", "worker", "member",
    "someone", "somebody", "spouse", "wife", "husband", "partner", "son", "daughter", "mum",
    "mom", "mam", "mother", "dad", "father", "brother", "child", "baby", "grandson",
    "granddaughter", "grandmother", "grandfather", "nan", "gran", "aunt", "uncle", "cousin",
    "niece", "nephew",
)  # fmt: skip
_PLURAL = {
    "lady": "ladies", "man": "men", "woman": "women", "gentleman": "gentlemen",
    "child": "children", "wife": "wives",
}  # fmt: skip


def _forms(nouns: tuple[str, ...]) -> frozenset[str]:
    """Each noun and its plural, with the care roles."""
    plural = (form for noun in nouns for form in (noun, _PLURAL.get(noun, noun + "s")))
    return frozenset(plural) | frozenset(ROLE_FORMS)


PERSON_FORMS = _forms(PERSON_NOUNS)
STAFF_FORMS = _forms(STAFF_NOUNS)
#: Words before "called" or "named" that make it a name, not a verb ("a lady called Julie",
#: "someone called Priya"; not "the doctor called Pharmacy").
_SOME = frozenset({"a", "an", "another", "one", "two", "three", "some", "someone", "somebody"})
#: Owners of a name ("her name was Julie", "the nurse's name is Jo", "the nurses name").
_NAME_OWNERS = frozenset({"my", "his", "her", "their", "your", "our", "whose"})
_NAME_NOUNS = frozenset({"name", "names", "surname", "nickname"})
_PRONOUNS = frozenset({"he", "she", "they", "who", "staff"})
_SHE_IS = frozenset({"he's", "she's", "he\u2019s", "she\u2019s"})
_PLACE_WORDS = frozenset({"on", "at", "in", "from", "with", "for"})
_WORD = re.compile(r"[\w&'\u2019-]+")
#: How far before the cue the words are read.
NAMED_LOOKBACK = 80


def _person_at(words: list[str], end: int, forms: frozenset[str] = PERSON_FORMS) -> int:
    """How many words ending at ``words[end - 1]`` are one of ``forms`` (up to three:
    "member of staff"); 0 where none is."""
    for size in (3, 2, 1):
        if end >= size and " ".join(words[end - size : end]) in forms:
            return size
    return 0


def _is_person_is(word: str) -> bool:
    """Whether ``word`` is a person and "is" run together ("lady's")."""
    return word[-2:] in ("'s", "\u2019s") and word[:-2] in PERSON_FORMS


def _owned_name(words: list[str]) -> bool:
    """Whether ``words`` end with a person's name being introduced: "her name", "his first
    name", "the nurse's name", "the nurses name"."""
    if not words or words[-1] not in _NAME_NOUNS:
        return False
    rest = words[:-1]
    if rest and rest[-1] in {"first", "full", "real", "last", "christian", "maiden", "married"}:
        rest = rest[:-1]
    if not rest:
        return False
    owner = rest[-1]
    if owner in _NAME_OWNERS:
        return True
    for ending in ("'s", "\u2019s", "s'", "s\u2019", "s"):
        if owner.endswith(ending) and _person_at([*rest[:-1], owner[: -len(ending)]], len(rest)):
            return True
    return False


#: What may follow a name that ends its clause ("the nurse was Julie.", "... was Julie and
#: she ...", "... was Julie who ..."): a description goes on ("was Wheelchair bound").
CLAUSE_END = re.compile(
    r"\s{0,3}(?:[.,;:!?)\]\"'\u2019\u201d]|\Z|(?:and|&|but|who|she|he|from)\b)", re.IGNORECASE
)


def names_a_person(before: str, cue: str, after: str = "") -> bool:
    """Whether the capitalised words after ``cue`` ("is", "was", "were", "are", "called",
    "named" or "'s", as written) are a person's name, judged by ``before`` (the text
    before the cue, on its line) and ``after`` (the text after the names): a name's
    introduction ("her name was", "the nurse's name is"); a member of staff and "is" or
    "was" ("the nurse was", "the nurse on duty is"), where the name ends its clause
    (:data:`CLAUSE_END`); "called" or "named" after "a", "an" or "someone" ("a lady
    called", "a lovely lady called"), or after "is" or "was" ("the nurse is called", "he
    was called"). A cue in Title Case ("The Doctor Was Brilliant") says nothing."""
    line = before[-NAMED_LOOKBACK:].rsplit("\n", 1)[-1]
    words = [w.lower() for w in _WORD.findall(line)[-7:]]
    verb = cue.lower()
    if verb in ("'s", "\u2019s"):
        return _owned_name(words)
    if cue[0].isupper() and not (words and words[-1] in _NAME_NOUNS):
        return False  # Title Case or a sentence start
    if verb in ("called", "named"):
        if words and (words[-1] in _SHE_IS or _is_person_is(words[-1])):
            return True  # "she's called Julie", "the lady's called Julie"
        if words and words[-1] in ("is", "was", "are", "were"):
            # "the nurse is called Julie", "he was called Dave" (not "the ward was called")
            rest = words[:-1]
            return bool(rest) and (rest[-1] in _PRONOUNS or bool(_person_at(rest, len(rest))))
        size = _person_at(words, len(words))
        # "a lady called", "someone called", "a lovely lady called", "a male nurse named"
        leading = words[max(0, len(words) - size - 3) : len(words) - size]
        return bool(size) and (words[-1] in ("someone", "somebody") or bool(_SOME & set(leading)))
    if _owned_name(words):
        return True
    if CLAUSE_END.match(after) is None:
        return False
    if _person_at(words, len(words), STAFF_FORMS):
        return True
    # where the person was: "the nurse on duty is Jo", "the receptionist at the surgery was"
    for place in range(len(words) - 2, max(len(words) - 5, 0), -1):
        if words[place] in _PLACE_WORDS and _person_at(words, place, STAFF_FORMS):
            return True
    return False


#: "is", "was", "were", "are", "called", "named" or "name's", and the capitalised names
#: after it (a list: "Julie, Sam and Jo"); names only where :func:`names_a_person` says
#: so of what comes before.
NAMED = re.compile(
    # a first letter, then the rest of the word (quick to pass over, as in ROLE_NAME)
    r"(?P<lead>(?P<cue>[IiWwAaCcNn](?<![\w'\u2019-][IiWwAaCcNn])"
    r"(?:(?<=[Ii])s|(?<=[Ww])(?:as|ere)|(?<=[Aa])re|(?<=[Cc])alled|(?<=[Nn])amed)"
    r"|(?<=[Nn]ame)['\u2019]s)"
    # a colon or an opening quote may come between: "her name was: Julie", "called 'Jo'"
    r"(?:\s{0,2}:)?\s{1,3}(?:['\"\u2018\u201c]\s{0,2})?)"
    rf"(?P<name>{_NAME_LIST})"
    r"(?![\w'\u2019-])"
)
