"""Phrase banks for the free-text comments, and the pool of comments composed from them.

Each comment is built from sentences of one to three themes, so the coding that goes with
it (coding.csv) is the themes it was built from. The wording follows the care-at-home and
Dignity in Care consultations in /work/shared/seeds. No real names or contact details: the
only contact details are fake ones (example.org/.com, Ofcom drama numbers, ZZ99 postcodes),
there to test redaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Free-text question id -> theme -> (sentences, short answers, weight).
THEMES: dict[str, dict[str, tuple[list[str], list[str], float]]] = {
    "q3": {
        "Respect and dignity": (
            [
                "To be treated with respect, not like a job on a list.",
                "Someone who respects my home and asks before they move things.",
                "Dignity – being covered up properly when I'm washed.",
                "I want to be spoken to as an adult not a child.",
                "They should knock and wait, it is still my house.",
                "Treat people the way you'd want your own parents treated.",
                "Privacy when I use the toilet, it's not much to ask.",
                "Respect for my culture and my faith, including what I eat.",
                "Being called by my name and not 'darling' or 'sweetheart'.",
                "Respect for the person, whatever state they're in.",
            ],
            ["Respect", "Respect.", "Dignity", "dignity and respect"],
            1.4,
        ),
        "Kindness and compassion": (
            [
                "Kindness above everything else.",
                "A smile when they come through the door makes my whole day.",
                "Someone who actually cares and isn't just going through the motions.",
                "Warmth. Patience. A bit of a laugh.",
                "Compassion – you can't teach it but you can spot it at interview.",
                "Being gentle, especially first thing when I'm stiff and sore.",
                "My dad lights up when the friendly ones come.",
                "Patience with my husband who has dementia and asks the same thing ten times.",
                "A caring nature. Some of them are wonderful, some clearly hate the job.",
            ],
            ["Kindness", "Kind and caring", "Compassion", "kindness!!"],
            1.3,
        ),
        "Time and punctuality": (
            [
                "Turning up when they say they will.",
                "On time! We wait in all morning for the 8am call and it's often gone 11.",
                "Not rushing in and out in ten minutes when the visit is meant to be half an hour.",
                "Time to sit and have a cup of tea with me, not just the tasks.",
                "They are so rushed they don't have time to talk.",
                "If they're going to be late, at least ring and let us know.",
                "Proper travel time between calls so they aren't always running late.",
                "A bedtime call at 7pm is far too early for a grown adult.",
                "Reliability. Knowing they will come.",
                'The office always says "sorry, we\'re short staffed" – every single week.',
            ],
            ["Punctuality", "Being on time", "Reliability", "Time"],
            1.2,
        ),
        "Continuity of carers": (
            [
                "The same faces. We had 14 different carers last month.",
                "Seeing the same carer so I don't have to explain everything every single day.",
                "Continuity – my wife gets very distressed with strangers.",
                "A small team who know me rather than whoever is free.",
                "Every time we get used to someone they leave.",
                "Knowing who is coming. A weekly rota would help.",
                "Consistency of carers is the most important thing for someone with dementia.",
            ],
            ["Same carers", "Consistency", "continuity"],
            1.0,
        ),
        "Communication": (
            [
                "Someone who listens and explains what they are doing.",
                "Clear communication with the family, we never know what's been done.",
                "Write things in the book properly so the next carer knows.",
                "When I ring the office someone should actually call back.",
                "Talk to me, not about me.",
                "Tell us about changes to the rota before they happen, not after.",
                "Letters in large print – I can't read the small writing they send.",
                "Being listened to. Really listened to.",
                'When I asked why the time changed I was told "that\'s just how the rota is".',
            ],
            ["Listening", "Good communication", "Communication"],
            0.9,
        ),
        "Training and skills": (
            [
                "Properly trained, especially in moving and handling.",
                "Basic cooking skills. Tea and toast shouldn't be beyond anyone.",
                "Understanding of dementia and how to calm someone down.",
                "Knowing how to use the hoist safely.",
                "Training in catheter care so we don't end up in A&E again.",
                "Carers need proper training and supervision, not a day of videos.",
                "Someone who knows what to do in an emergency.",
            ],
            ["Well trained", "Competence", "Skills"],
            0.7,
        ),
        "Being known as a person": (
            [
                "Interest in me as a person, my life and my history.",
                "Curiosity – ask me about my life, I've done a lot.",
                "To know what I like, how I take my tea, what radio station I have on.",
                "Someone who sees the person and not just the care plan.",
                "I was a nurse for 40 years, I'd like them to know that about me.",
                "Being known. I am a person with a history.",
            ],
            ["Curiosity", "Interest in me", "To be known"],
            0.8,
        ),
    },
    "q9": {
        "Family and friends": (
            [
                "My family, always.",
                "Seeing my grandchildren.",
                "Keeping in touch with my friends from the chapel.",
                "Being close to my family without them having to become my carers.",
                "My wife and my dog.",
                "Having my daughter involved in decisions about my care.",
                "Friends popping in, a phone call, not being forgotten.",
                "Feeling part of the family rather than a burden.",
                "The love of my family and friends – nothing else comes close.",
            ],
            ["Family", "Family.", "my family", "Family and friends"],
            2.4,
        ),
        "Independence": (
            [
                "Staying in my own home. I do not want to go into a care home.",
                "Independence – doing as much as I can for myself.",
                "Being able to get to the shops on my own.",
                "Not being stuck in the house all day.",
                "Doing things for myself even if it takes longer.",
                "Getting out in the garden.",
                "Keeping my car as long as I'm safe to drive.",
            ],
            ["Independence", "Staying at home", "independance"],
            1.2,
        ),
        "Choice and control": (
            [
                "Being in control of my own life and my own decisions.",
                "Choosing when I get up and when I go to bed.",
                "Having a say in who comes into my home.",
                "My direct payment means I choose my own PA and that has changed my life.",
                "Being asked, not told.",
                "Choice about what I eat and when.",
            ],
            ["Choice", "Control", "Being in control"],
            0.9,
        ),
        "Respect and dignity": (
            [
                "Being treated with dignity to the very end.",
                "Respect. I like to give respect and I like to get it back.",
                "Being seen as a person and not a problem.",
                "My dignity, whatever happens.",
            ],
            ["Dignity", "Respect"],
            0.9,
        ),
        "Health and wellbeing": (
            [
                "My health, and not being in pain.",
                "Staying well enough to stay at home.",
                "My mental health as much as my physical health.",
                "Getting a GP appointment when I need one.",
                "Sleeping properly and eating well.",
            ],
            ["Health", "My health", "Wellbeing"],
            0.8,
        ),
        "Interests and hobbies": (
            [
                "My garden.",
                "Reading, crosswords and the radio.",
                "Music – I still play the piano when my hands let me.",
                "Going to the football with my son.",
                "Keeping busy, not having to think how to fill my waking hours.",
                "My knitting group on a Tuesday.",
                "Learning new things – I started a computer course at 78.",
            ],
            ["Gardening", "My hobbies", "Reading"],
            0.8,
        ),
        "Being part of the community": (
            [
                "Feeling part of my community and not shut away.",
                "Getting to the lunch club every week.",
                "Helping others when I can, I volunteer at the food bank.",
                "Knowing my neighbours.",
                "Being able to get to my place of worship.",
                "Keeping in touch with the world.",
            ],
            ["Community", "Lunch club", "Neighbours"],
            0.5,
        ),
        "Cost and charges": (
            [
                "Being able to afford the care I need without selling my house.",
                "Not worrying about the bills. The charges went up again in April.",
                "My care costs £310 a week and my savings are nearly gone.",
                "Fair charges – £24 an hour for a 15 minute call is not fair.",
                "Knowing what I'll have to pay before the care starts.",
                "Not having to choose between heating and care.",
                "The £ side of it worries me more than anything.",
            ],
            ["Cost", "Money", "affordable care"],
            0.7,
        ),
    },
}

#: Context people add that carries no theme.
FILLERS = [
    "My mum has had carers since her fall last year.",
    "I have looked after my husband for eleven years.",
    "I'm 84 and live on my own.",
    "I've worked in care for 9 years.",
    "Speaking as a district nurse.",
    "I am answering for my dad who can't use a computer.",
    "Hard to put into words.",
    "We have had good carers and bad ones.",
    "It's been a difficult couple of years.",
    "I filled this in at the drop-in at the library.",
    "Mum is 91, registered blind and very independent – she hates fuss.",
    "I've been on both sides of this, as a home carer for 20 years and now caring for my own "
    "mother, so I know how hard the job is and how much it matters when it's done well.",
    "We've had care at home for about three years now, first after dad's stroke and then "
    "when mum's memory started to go, and it has been a real mixed bag.",
]
#: Openers that run into the next sentence.
LEAD_INS = ["For me, ", "Most of all, ", "Simply put – ", "Honestly, ", "Above all, "]
OPENERS = ["Good question.", "Where do I start.", "Speaking from experience.", "Easy."]
CLOSERS = [
    "Thank you for asking.",
    "Thanks.",
    "Please actually listen this time.",
    "That's all really.",
    "Thank you for asking us – it's the first time anyone has.",
    "Hope this helps.",
]
NON_ANSWERS = ["N/A", "n/a", "Nothing", "No comment", "Not sure", "Don't know", "See above", "?"]
TYPOS = {
    "receive": "recieve",
    "definitely": "definately",
    "their": "there",
    "really": "realy",
    "because": "becuase",
    "don't": "dont",
    "I'm": "im",
    "it's": "its",
    "appointment": "appointmnet",
    "carers": "carer's",
    "know": "no",
}
CONTACT_TEMPLATES = [
    "Please ring me on 07700 900{n3}.",
    "You can email me at homecare.reader{n2}@example.org if you want to know more.",
    "My postcode is ZZ99 3VZ if that helps.",
    "Call the house on 01632 960{n3} any time after 10.",
    "my email is respondent{n2}@example.com",
]


@dataclass(frozen=True)
class CommentPool:
    """Pre-composed comments for one question and the themes each was built from."""

    question_id: str
    texts: list[str]
    themes: list[tuple[str, ...]]


def _lower_first(sentence: str) -> str:
    """Lower-case a sentence's first letter unless it starts with 'I' as a word."""
    if sentence.startswith(("I ", "I'")) or not sentence:
        return sentence
    return sentence[0].lower() + sentence[1:]


def _pick(items: list[str], u: float) -> str:
    """The item a uniform draw in [0, 1) lands on."""
    return items[int(u * len(items))]


def _weighted(names: list[str], weights: list[float], draws: list[float]) -> list[str]:
    """Distinct names, chosen one per draw with probability proportional to weight."""
    names, weights = list(names), list(weights)
    chosen: list[str] = []
    for u in draws:
        target, running = u * sum(weights), 0.0
        for k, w in enumerate(weights):
            running += w
            if target < running or k == len(weights) - 1:
                chosen.append(names.pop(k))
                weights.pop(k)
                break
    return chosen


def _roughen(text: str, u: list[float]) -> str:
    """Make a composed comment read typed by a person: typos, case, lost full stops."""
    if u[0] < 0.12:
        words = [w for w in TYPOS if f" {w} " in f" {text} "]
        if words:
            word = _pick(words, u[1])
            text = f" {text} ".replace(f" {word} ", f" {TYPOS[word]} ", 1).strip()
    if u[2] < 0.06:
        text = text.lower()
    elif u[2] < 0.16 and text.endswith("."):
        text = text[:-1]
    return text


def _compose(
    bank: dict[str, tuple[list[str], list[str], float]], u: list[float]
) -> tuple[str, tuple[str, ...]]:
    """One comment from 24 uniform draws: (text, themes in the order they are mentioned)."""
    names = list(bank)
    weights = [bank[n][2] for n in names]
    if u[0] < 0.05:
        return _pick(NON_ANSWERS, u[1]), ()
    if u[0] < 0.17:
        theme = _weighted(names, weights, [u[1]])[0]
        return _pick(bank[theme][1], u[2]), (theme,)
    n_themes = 1 if u[1] < 0.55 else 2 if u[1] < 0.88 else 3
    themes = tuple(_weighted(names, weights, u[2 : 2 + n_themes]))
    sentences = [_pick(bank[t][0], u[5 + k]) for k, t in enumerate(themes)]
    if u[8] < 0.12:
        sentences[0] = _pick(LEAD_INS, u[9]) + _lower_first(sentences[0])
    if u[10] < 0.15:
        sentences.insert(0, _pick(FILLERS, u[11]))
    if u[12] < 0.06:
        sentences.insert(0, _pick(OPENERS, u[13]))
    if u[14] < 0.12:
        sentences.append(_pick(CLOSERS, u[15]))
    if u[16] < 0.012:
        n2, n3 = 10 + int(u[18] * 90), int(u[19] * 1000)
        sentences.append(_pick(CONTACT_TEMPLATES, u[17]).format(n2=n2, n3=f"{n3:03d}"))
    return _roughen(" ".join(sentences), u[20:23]), themes


def comment_pool(question_id: str, size: int, rng: np.random.Generator) -> CommentPool:
    """Compose ``size`` comments for a free-text question of the demo survey."""
    bank = THEMES[question_id]
    composed = [_compose(bank, row) for row in rng.random((size, 24)).tolist()]
    return CommentPool(
        question_id=question_id,
        texts=[text for text, _ in composed],
        themes=[themes for _, themes in composed],
    )


def all_themes() -> list[str]:
    """Every theme of every free-text question, each once, in bank order."""
    seen: dict[str, None] = {}
    for bank in THEMES.values():
        for theme in bank:
            seen.setdefault(theme, None)
    return list(seen)
