"""Valid survey responses, a chunk at a time, as the survey tool exports them (labels).

Every column is drawn as a whole numpy array and turned into text by polars, so a chunk
of 250,000 rows costs about the same as one of 1,000 in Python overhead. Who answers is
shaped by ``config/sample.yml``: uneven groups and places, seldom-heard groups reached less.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zlib
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.sample.geography import (
    AGE_BANDS,
    DEFAULT_THOUSANDS,
    ETHNIC_GROUPS,
    ETHNIC_PROFILES,
    IMD_BY_REGION,
    IMD_QUINTILES,
    place_lookup,
)
from pipelines.sample.questionnaire import (
    FIELD_HEADERS,
    FIELD_LABELS,
    HEARD_ABOUT,
    PREFER_NOT,
    QUESTION_BY_ID,
    RECEIVES_CARE,
    WHAT_WOULD_HELP,
    WHO_PAYS,
    export_headers,
    window,
)
from pipelines.sample.settings import SampleSettings, normalised
from pipelines.sample.text import CommentPool

STAFF_GROUPS = {
    "paid_care_worker",
    "provider",
    "professional",
    "commissioner",
    "advocacy",
    "voluntary_sector",
}

#: Age of respondents by group (shares of AGE_BANDS): users old, staff of working age.
AGE_BY_GROUP: dict[str, list[float]] = {
    "service_user": [0.005, 0.02, 0.04, 0.05, 0.08, 0.13, 0.22, 0.28, 0.175],
    "unpaid_carer": [0.01, 0.02, 0.05, 0.10, 0.19, 0.27, 0.22, 0.11, 0.03],
    "staff": [0.0, 0.08, 0.20, 0.24, 0.25, 0.19, 0.04, 0.0, 0.0],
    "public": [0.01, 0.04, 0.09, 0.12, 0.16, 0.21, 0.21, 0.12, 0.04],
}
FEMALE_SHARE = {"service_user": 0.62, "unpaid_carer": 0.7, "staff": 0.8, "public": 0.57}
DISABLED_SHARE = {"service_user": 0.72, "unpaid_carer": 0.27, "staff": 0.11, "public": 0.2}
#: q1 (receives care at home) by group, in RECEIVES_CARE order.
RECEIVES_BY_GROUP = {
    "service_user": [0.86, 0.03, 0.07, 0.04],
    "unpaid_carer": [0.03, 0.81, 0.11, 0.05],
    "staff": [0.02, 0.08, 0.08, 0.82],
    "public": [0.05, 0.12, 0.13, 0.70],
}
AGREE_PROBS = [0.07, 0.12, 0.18, 0.38, 0.25]
RATING_PROBS = [0.10, 0.19, 0.30, 0.28, 0.13]
WHO_PAYS_PROBS = [0.45, 0.28, 0.14, 0.05, 0.08]
HELP_PROBS = [0.46, 0.31, 0.26, 0.22, 0.19, 0.12, 0.05]
HEARD_PROBS = [0.30, 0.14, 0.21, 0.09, 0.16, 0.12, 0.19]
HOUR_WEIGHTS = [
    0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.2, 2.5, 2.4,
    2.0, 2.2, 2.4, 2.2, 2.0, 1.8, 1.6, 1.8, 2.0, 1.8, 1.2, 0.6,
]  # fmt: skip
IP_NETWORKS = ["192.0.2", "198.51.100", "203.0.113"]  # RFC 5737 documentation ranges


def first_respondent_id(year: int) -> int:
    """Where a wave's respondent ids start: later waves of a series get higher ids."""
    return 114_208_000_000 + (year - 2026) * 1_500_000_000


def collector_ids(year: int, channels: list[str]) -> list[str]:
    """One survey-tool collector (web link, manual entry...) per channel."""
    return [str(431_900_000 + (year - 2026) * 7_000 + 137 * (k + 1)) for k in range(len(channels))]


def profile_of(group: str) -> str:
    """The respondent profile a group shares (staff groups alike)."""
    if group in STAFF_GROUPS:
        return "staff"
    return group if group in AGE_BY_GROUP else "public"


def _cumulative(rows: list[list[float]]) -> np.ndarray:
    """Row-normalised cumulative probabilities, for drawing from many distributions at once."""
    matrix = np.asarray(rows, dtype=float)
    matrix = matrix / matrix.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(matrix, axis=1)
    cumulative[:, -1] = 1.0
    return cumulative


def _draw(cumulative: np.ndarray, which: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One category per row, from the distribution of row ``which`` of ``cumulative``."""
    u = rng.random(which.size)
    return (u[:, None] >= cumulative[which]).sum(axis=1)


def _tilt(name: str) -> float:
    """A stable per-region lean (-0.35..0.35) of the overall rating, so regions differ."""
    return (zlib.crc32(name.encode("utf-8")) % 1000) / 1000 * 0.7 - 0.35


@dataclass(frozen=True)
class RespondentModel:
    """Everything needed to draw respondents, prepared once per run."""

    regions: list[str]
    localities: list[str | None]
    place_region: np.ndarray
    place_weights: np.ndarray
    ethnic_cum: np.ndarray
    imd_cum: np.ndarray
    rating_cum: np.ndarray
    groups: list[str]
    group_probs: np.ndarray
    group_profile: np.ndarray
    channels: list[str]
    channel_cum: np.ndarray
    age_cum: np.ndarray
    female: np.ndarray
    disabled: np.ndarray
    receives_cum: np.ndarray
    settings: SampleSettings

    @classmethod
    def build(cls, regions: pl.DataFrame, settings: SampleSettings) -> RespondentModel:
        """Prepare the model for a geography (region, locality rows)."""
        lookup = place_lookup()
        region_names = list(dict.fromkeys(regions["region"].to_list()))
        localities = [loc or None for loc in regions["locality"].fill_null("").to_list()]
        place_region = np.array([region_names.index(r) for r in regions["region"]])
        weights, ethnic = [], []
        for region, locality in zip(regions["region"], localities, strict=True):
            place = lookup.get((region, locality or ""))
            thousands = place.thousands if place else DEFAULT_THOUSANDS
            reach = settings.region_reach.get(region, 1.0)
            reach *= settings.locality_reach.get(locality or "", 1.0)
            weights.append(thousands * reach)
            shares = ETHNIC_PROFILES[place.ethnic_profile if place else "mostly_white"]
            ethnic.append(
                [s * settings.ethnic_reach[g] for s, g in zip(shares, ETHNIC_GROUPS, strict=True)]
            )
        imd = [
            [
                s * settings.imd_reach[q]
                for s, q in zip(IMD_BY_REGION.get(r, [0.2] * 5), IMD_QUINTILES, strict=True)
            ]
            for r in region_names
        ]
        rating = [
            [p * np.exp(_tilt(r) * (k - 2)) for k, p in enumerate(RATING_PROBS)]
            for r in region_names
        ]
        groups, group_probs = normalised(settings.groups)
        profiles = list(AGE_BY_GROUP)
        channels = list(settings.channels)
        public_mix = [settings.channels[c] for c in channels]
        staff_mix = [settings.staff_channels.get(c, 0.0) for c in channels]
        return cls(
            regions=region_names,
            localities=localities,
            place_region=place_region,
            place_weights=np.asarray(weights) / np.sum(weights),
            ethnic_cum=_cumulative(ethnic),
            imd_cum=_cumulative(imd),
            rating_cum=_cumulative(rating),
            groups=groups,
            group_probs=group_probs,
            group_profile=np.array([profiles.index(profile_of(g)) for g in groups]),
            channels=channels,
            channel_cum=_cumulative(
                [staff_mix if profile_of(g) == "staff" else public_mix for g in groups]
            ),
            age_cum=_cumulative([AGE_BY_GROUP[p] for p in profiles]),
            female=np.array([FEMALE_SHARE[p] for p in profiles]),
            disabled=np.array([DISABLED_SHARE[p] for p in profiles]),
            receives_cum=_cumulative([RECEIVES_BY_GROUP[p] for p in profiles]),
            settings=settings,
        )


@dataclass(frozen=True)
class Chunk:
    """One chunk of the export plus what later steps need to know about its rows."""

    frame: pl.DataFrame
    response_ids: np.ndarray
    comment_index: dict[str, np.ndarray]  # question id -> pool index, -1 = blank


def arrival_days(year: int) -> np.ndarray:
    """Cumulative share of responses by the end of each day of the consultation window.

    A launch rush, a reminder bump half way and a last-week surge; fewer at weekends.
    """
    opened, closed = window(year)
    days = (closed - opened).days + 1
    index = np.arange(days)
    density = 1.0 + 1.6 * np.exp(-index / 5) + 0.9 * np.exp(-(((index - days * 0.45) / 3) ** 2))
    density += 1.3 * np.exp(-((days - 1 - index) / 4))
    weekday = np.array([(opened + dt.timedelta(days=int(i))).weekday() for i in index])
    density *= np.where(weekday >= 5, 0.7, 1.0)
    cumulative = np.cumsum(density)
    return cumulative / cumulative[-1]


def _labels(values: list[str | None], index: np.ndarray) -> pl.Series:
    """Text cells from a small list of labels (None = blank) and an index per row."""
    return pl.Series(values, dtype=pl.String).gather(index)


def _with_missing(
    drawn: np.ndarray, blank: float, prefer_not: float, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Replace some draws by 'prefer not to say' (index size) and blank (size + 1)."""
    u = rng.random(drawn.size)
    out = drawn.copy()
    out[u < prefer_not] = size
    out[(u >= prefer_not) & (u < prefer_not + blank)] = size + 1
    return out


def _times(start: int, n: int, total: int, year: int, rng: np.random.Generator) -> np.ndarray:
    """Submission times (epoch seconds), in order, for rows start..start+n of total."""
    opened, _ = window(year)
    u = (start + np.arange(n) + rng.random(n)) / total
    day = np.minimum(np.searchsorted(arrival_days(year), u), len(arrival_days(year)) - 1)
    hours = np.asarray(HOUR_WEIGHTS) / np.sum(HOUR_WEIGHTS)
    seconds = rng.choice(24, size=n, p=hours) * 3600 + rng.integers(0, 3600, size=n)
    epoch0 = calendar.timegm(opened.timetuple())
    return np.sort(epoch0 + day * 86400 + seconds)


def uk_datetime(epoch: np.ndarray) -> pl.Series:
    """Epoch seconds as the tool writes them: dd/mm/yyyy hh:mm:ss."""
    return pl.from_epoch(pl.Series(epoch, dtype=pl.Int64), time_unit="s").dt.strftime(
        "%d/%m/%Y %H:%M:%S"
    )


def _odd_case(cells: pl.Series, rate: float, rng: np.random.Generator) -> pl.Series:
    """Type a share of cells in odd case or with stray spaces, as people and tools do."""
    variant = np.where(rng.random(cells.len()) < rate, rng.integers(1, 5, cells.len()), 0)
    v = pl.Series(variant)
    frame = pl.DataFrame({"c": cells, "v": v})
    c = pl.col("c")
    return frame.select(
        pl.when(pl.col("v") == 1)
        .then(c.str.to_uppercase())
        .when(pl.col("v") == 2)
        .then(c.str.to_lowercase())
        .when(pl.col("v") == 3)
        .then(pl.lit("  ") + c)
        .when(pl.col("v") == 4)
        .then(c + pl.lit(" "))
        .otherwise(c)
        .alias(cells.name)
    ).to_series()


def _multi_cells(
    probs: list[float], labels: list[str], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, list[str | None]]:
    """Ticks of a multi-select question: a per-row bit mask and the text of every mask."""
    ticks = rng.random((n, len(probs))) < np.asarray(probs)
    mask = ticks @ (1 << np.arange(len(probs)))
    combos: list[str | None] = [
        ";".join(lab for k, lab in enumerate(labels) if m >> k & 1) or None
        for m in range(1 << len(labels))
    ]
    return mask, combos


def response_chunk(
    model: RespondentModel,
    pools: dict[str, CommentPool],
    *,
    start: int,
    n: int,
    total: int,
    year: int,
    first_id: int,
    rng: np.random.Generator,
) -> Chunk:
    """Rows ``start``..``start + n`` of the export, all valid."""
    s = model.settings
    end = _times(start, n, total, year, rng)
    ids = first_id + np.cumsum(rng.integers(1, 40, size=n))
    group = rng.choice(len(model.groups), size=n, p=model.group_probs)
    profile = model.group_profile[group]
    place = rng.choice(len(model.place_weights), size=n, p=model.place_weights)
    region = model.place_region[place]

    channel = _draw(model.channel_cum, group, rng)
    channel[rng.random(n) < s.channel_blank] = len(model.channels)
    online = channel == model.channels.index("online")
    duration = np.where(
        online, rng.lognormal(np.log(560), 0.6, n), rng.lognormal(np.log(230), 0.4, n)
    ).astype(np.int64)
    opened = calendar.timegm(window(year)[0].timetuple())
    begin = np.maximum(end - np.clip(duration, 60, 5400), opened)

    cols: dict[str, pl.Series] = {}
    cols["Respondent ID"] = pl.Series(ids).cast(pl.String)
    collectors = collector_ids(year, model.channels)
    cols["Collector ID"] = _labels([*collectors, collectors[0]], channel)
    cols["Start Date"] = uk_datetime(begin)
    cols["End Date"] = uk_datetime(end)
    ip_net = rng.integers(0, len(IP_NETWORKS), n)
    ip = pl.Series([f"{net}." for net in IP_NETWORKS]).gather(ip_net) + pl.Series(
        rng.integers(1, 255, n)
    ).cast(pl.String)
    cols["IP Address"] = pl.select(pl.when(pl.Series(online)).then(ip).otherwise(None)).to_series()

    volunteer = rng.choice(3, size=n, p=[0.18, 0.62, 0.20])
    emailed = online & (volunteer == 0) & (rng.random(n) < 0.4)
    email = pl.lit("respondent") + pl.Series(ids % 100_000).cast(pl.String) + "@example.org"
    cols["Email Address"] = pl.select(
        pl.when(pl.Series(emailed)).then(email).otherwise(None)
    ).to_series()

    channel_labels = [FIELD_LABELS["channel"][c] for c in model.channels] + [None]
    cols[FIELD_HEADERS["channel"]] = _odd_case(
        _labels(channel_labels, channel), s.odd_case_rate, rng
    )
    group_labels = [FIELD_LABELS["group"][g] for g in model.groups]
    cols[FIELD_HEADERS["group"]] = _odd_case(_labels(group_labels, group), s.odd_case_rate, rng)
    cols[FIELD_HEADERS["region"]] = _labels(list(model.regions), region)
    cols[FIELD_HEADERS["locality"]] = _labels(list(model.localities), place)

    cols.update(_question_cells(model, pools, profile, region, n, rng))
    cols.update(_monitoring_cells(model, profile, place, region, n, rng))

    consent = rng.choice(3, size=n, p=[0.56, 0.29, 0.15])
    cols[FIELD_HEADERS["consent_to_quote"]] = _labels(["Yes", "No", None], consent)
    vol_labels = [FIELD_LABELS["volunteer"]["yes"], FIELD_LABELS["volunteer"]["no"], None]
    cols[FIELD_HEADERS["volunteer"]] = _labels(vol_labels, volunteer)

    frame = pl.DataFrame([cols[h].alias(h) for h in export_headers()])
    comment_index = {
        qid: _comment_draw(len(pools[qid].texts), s.free_text_blank[qid], start, n, rng)
        for qid in ("q3", "q9")
    }
    frame = frame.with_columns(
        _comment_cells(pools[qid], comment_index[qid]).alias(QUESTION_BY_ID[qid].headers()[0])
        for qid in ("q3", "q9")
    )
    return Chunk(frame=frame, response_ids=ids, comment_index=comment_index)


def _comment_draw(
    pool_size: int, blank: float, start: int, n: int, rng: np.random.Generator
) -> np.ndarray:
    """A pool index per row, -1 where the respondent left the box empty.

    Row i takes comment i of the pool (the pool is already random), so no two people
    write the same long comment until the pool is used up.
    """
    index = (start + np.arange(n)) % pool_size
    index[rng.random(n) < blank] = -1
    return index


def _comment_cells(pool: CommentPool, index: np.ndarray) -> pl.Series:
    """The comment text of each row (blank where the index is -1)."""
    texts = pl.Series([*pool.texts, None], dtype=pl.String)
    return texts.gather(np.where(index < 0, len(pool.texts), index))


def _question_cells(
    model: RespondentModel,
    pools: dict[str, CommentPool],
    profile: np.ndarray,
    region: np.ndarray,
    n: int,
    rng: np.random.Generator,
) -> dict[str, pl.Series]:
    """Answers to q1..q9 (free text filled later, from the comment pools)."""
    rate = model.settings.odd_case_rate
    header = {q: QUESTION_BY_ID[q].headers()[0] for q in QUESTION_BY_ID}
    receives = _draw(model.receives_cum, profile, rng)
    receives[rng.random(n) < 0.02] = len(RECEIVES_CARE)
    has_care = receives <= 1
    cells: dict[str, pl.Series] = {}
    cells[header["q1"]] = _odd_case(_labels([*RECEIVES_CARE.values(), None], receives), rate, rng)
    visits = 1 + rng.negative_binomial(3, 0.4, size=n)
    cells[header["q2"]] = pl.select(
        pl.when(pl.Series(has_care & (rng.random(n) > 0.1)))
        .then(pl.Series(np.minimum(visits, 30)).cast(pl.String))
        .otherwise(None)
    ).to_series()
    cells[header["q3"]] = pl.Series([None] * n, dtype=pl.String)
    agree = rng.choice(5, size=n, p=AGREE_PROBS)
    answered = np.where(receives <= 2, rng.random(n) < 0.95, rng.random(n) < 0.45)
    agree_labels = [*QUESTION_BY_ID["q4"].scale, None]
    cells[header["q4"]] = _odd_case(_labels(agree_labels, np.where(answered, agree, 5)), rate, rng)
    rating = _draw(model.rating_cum, region, rng)
    rating[rng.random(n) < 0.06] = 5
    cells[header["q5"]] = _odd_case(_labels([*QUESTION_BY_ID["q5"].scale, None], rating), rate, rng)
    pays = rng.choice(len(WHO_PAYS), size=n, p=WHO_PAYS_PROBS)
    pays[~has_care | (rng.random(n) < 0.08)] = len(WHO_PAYS)
    cells[header["q6"]] = _labels([*WHO_PAYS.values(), None], pays)
    mask, combos = _multi_cells(HELP_PROBS, list(WHAT_WOULD_HELP.values()), n, rng)
    mask[rng.random(n) < 0.1] = 0
    cells[header["q7"]] = _labels(combos, mask)
    heard_any = rng.random(n) > 0.08
    ticks = rng.random((n, len(HEARD_PROBS))) < np.asarray(HEARD_PROBS)
    for k, (code, label) in enumerate(HEARD_ABOUT.items()):
        chosen = ticks[:, k] & heard_any
        cells[QUESTION_BY_ID["q8"].columns[code]] = _labels([None, label], chosen.astype(int))
    cells[header["q9"]] = pl.Series([None] * n, dtype=pl.String)
    return cells


def _monitoring_cells(
    model: RespondentModel,
    profile: np.ndarray,
    place: np.ndarray,
    region: np.ndarray,
    n: int,
    rng: np.random.Generator,
) -> dict[str, pl.Series]:
    """Equality monitoring answers, with blanks and 'Prefer not to say'."""
    rates = model.settings.monitoring
    drawn = {
        "age_band": (AGE_BANDS, _draw(model.age_cum, profile, rng)),
        "sex": (["female", "male"], (rng.random(n) >= model.female[profile]).astype(int)),
        "ethnic_group": (ETHNIC_GROUPS, _draw(model.ethnic_cum, place, rng)),
        "disability": (["yes", "no"], (rng.random(n) >= model.disabled[profile]).astype(int)),
        "imd_quintile": (IMD_QUINTILES, _draw(model.imd_cum, region, rng)),
    }
    cells: dict[str, pl.Series] = {}
    for field, (codes, index) in drawn.items():
        with_missing = _with_missing(
            index, rates[field]["blank"], rates[field]["prefer_not_to_say"], len(codes), rng
        )
        labels = [FIELD_LABELS[field][c] for c in codes] + [PREFER_NOT, None]
        cells[FIELD_HEADERS[field]] = _labels(labels, with_missing)
    cells[FIELD_HEADERS["age_band"]] = _odd_case(
        cells[FIELD_HEADERS["age_band"]], model.settings.odd_case_rate, rng
    )
    return cells
