"""Generate a realistic decision repository for the benchmarks, the same one on every run.

``build_repository(repo, count, seed)`` writes a ``jmb.toml``, the decision schema and ``count``
records, each about the size and shape of the reference record
``records/2019/2019-09-single-online-home.yaml``: every section filled with prose in ``|`` block
scalars, recommendation items, implications, background papers, an appendix the text refers to with
its attached file, signatures on the approved and published ones. The records are spread over the
years 2015 to 2026 and numbered within each year. The text is varied with a random generator seeded
with ``seed`` (``SEED`` by default), so every run builds the same repository. About 5% of the records
carry a realistic defect (a bare "None" implication, a question left in, an appendix referred to but
not listed) so that jmb's finding path is exercised too; ``build_repository`` returns which records
they are, so that a benchmark can check that jmb reports exactly those records and no clean one.

Used by ``bench/validate.py`` and ``bench/render.py``.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from harness import PROJECT, tool

from jmb.record.canonical import content_digest

SEED = 2019
YEARS = tuple(range(2015, 2027))
#: Records of the last year are dated up to here, so that every signature is in the past.
LAST_DECISION_DAY = date(2026, 10, 15)
DEFECT_SHARE = 0.05

# -- the records ----------------------------------------------------------------------------------------

TOPICS: tuple[tuple[str, str, str, str], ...] = (
    # title, short name, what it is, partner
    (
        "Single Online Home",
        "SOH",
        "the national online contact platform",
        "the Digital Public Contact Programme",
    ),
    (
        "Body Worn Video Replacement",
        "body worn video",
        "the replacement of body worn video cameras",
        "the national framework supplier",
    ),
    (
        "Custody Healthcare Contract",
        "custody healthcare",
        "healthcare in the custody suites",
        "NHS England",
    ),
    (
        "Fleet Replacement Programme",
        "the fleet programme",
        "the planned replacement of response vehicles",
        "the regional fleet consortium",
    ),
    (
        "Mobile Data Terminals",
        "mobile data",
        "handheld devices for officers on patrol",
        "the national mobility programme",
    ),
    (
        "Firearms Training Facility",
        "the training facility",
        "a shared firearms training range",
        "Cumbria Constabulary",
    ),
    (
        "Victim Services Commissioning",
        "victim services",
        "support services for victims of crime",
        "the Ministry of Justice",
    ),
    (
        "Digital Evidence Management System",
        "DEMS",
        "the storage and sharing of digital evidence",
        "the Crown Prosecution Service",
    ),
    (
        "Shared Forensic Services",
        "forensic services",
        "forensic science services shared across the region",
        "the North West forensic collaboration",
    ),
    (
        "Emergency Services Network",
        "ESN",
        "the replacement for the Airwave radio network",
        "the Home Office",
    ),
    (
        "Command and Control Upgrade",
        "command and control",
        "the system that dispatches officers to incidents",
        "the incumbent supplier",
    ),
    (
        "Automatic Number Plate Recognition",
        "ANPR",
        "the network of number plate recognition cameras",
        "the National ANPR Service",
    ),
    ("Drone Capability", "the drone unit", "an unmanned aircraft capability", "the CAA"),
    (
        "Collaboration with Lancashire Fire and Rescue Service",
        "blue light collaboration",
        "shared estates and joint response arrangements",
        "Lancashire Fire and Rescue Service",
    ),
    (
        "Force Control Room Refurbishment",
        "the control room",
        "the refurbishment of the force control room",
        "the estates framework contractor",
    ),
    (
        "Wellbeing Support Service",
        "wellbeing support",
        "occupational health and wellbeing support for staff",
        "Oscar Kilo, the national wellbeing service",
    ),
    (
        "Rural Crime Taskforce Funding",
        "the rural taskforce",
        "a dedicated rural and wildlife crime team",
        "the National Farmers Union",
    ),
    (
        "Violence Reduction Network",
        "the VRN",
        "a partnership approach to serious violence",
        "the Home Office",
    ),
    (
        "Out of Court Disposals Framework",
        "out of court disposals",
        "the two-tier framework of out of court disposals",
        "the Crown Prosecution Service",
    ),
    (
        "Headquarters Energy Efficiency",
        "the energy programme",
        "solar panels and heating upgrades at headquarters",
        "the Public Sector Decarbonisation Scheme",
    ),
    (
        "ICT Managed Service Renewal",
        "the managed service",
        "the outsourced ICT service desk and hosting",
        "the Crown Commercial Service",
    ),
    (
        "Cyber Crime Unit Expansion",
        "the cyber unit",
        "the investigation of cyber-dependent crime",
        "the Regional Organised Crime Unit",
    ),
    (
        "Body Armour Procurement",
        "body armour",
        "protective equipment for frontline officers",
        "the national procurement hub",
    ),
    (
        "Translation and Interpretation Services",
        "interpreting",
        "spoken and written interpretation for victims and suspects",
        "the regional procurement partnership",
    ),
    (
        "Custody Suite Refurbishment",
        "the custody programme",
        "the refurbishment of the Preston custody suite",
        "the estates framework contractor",
    ),
    (
        "Community Safety Partnership Grants",
        "community safety grants",
        "grants to the community safety partnerships",
        "the district councils",
    ),
)

TITLE_SUFFIXES = (
    "",
    "",
    "",
    " Extension",
    " Phase 2",
    " Variation",
    " Business Case",
    " Funding",
)
DISTRICTS = (
    "Preston",
    "Blackpool",
    "Burnley",
    "Lancaster",
    "Blackburn with Darwen",
    "Chorley",
    "Fylde",
    "Hyndburn",
    "Pendle",
    "Rossendale",
    "Wyre",
    "West Lancashire",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SEASONS = ("spring", "summer", "autumn", "winter")
PRIORITIES = (
    "protecting vulnerable people",
    "tackling crime and reoffending",
    "delivering an efficient and effective service",
    "supporting victims",
    "developing safe and confident communities",
    "fighting serious and organised crime",
)
AUTHORS = (
    "Ian Dickinson",
    "Sarah Whitmore",
    "Martin Holt",
    "Aisha Rahman",
    "David Kershaw",
    "Helen Ashworth",
    "Tomasz Nowak",
    "Claire Bennett",
    "Peter Lomax",
    "Ruth Okafor",
)
SIGNERS = {
    "Police and Crime Commissioner": ("Clive Grunshaw", "Andrew Snowden"),
    "Chief Constable": ("Andy Rhodes", "Chris Rowley", "Sacha Hatchett"),
    "Monitoring Officer": ("Steve Freeman", "Abigail Leech"),
}
STATUSES = (
    ("published", 35),
    ("approved", 15),
    ("submitted", 15),
    ("draft", 10),
    ("deferred", 10),
    ("rejected", 8),
    ("withdrawn", 7),
)

SUMMARY = (
    "The purpose of the report is to seek approval for {what}, delivered with {partner}.",
    "The report sets out the background to {short}, the options considered and the advice of "
    "officers.",
    "Approval would allow {org} to move to the new arrangement from {month2} {next_year}, before "
    "the current one ends.",
    "The proposal has been considered by the Chief Officer Team and is supported by the Director of "
    "Resources.",
    "A decision is needed now because the current arrangement ends on {expiry} and cannot be "
    "extended.",
    "The total cost over {n} years is {amount}, met from budgets already approved.",
    "The report also seeks authority to enter into a collaborative agreement should {org} decide to "
    "extend {short} towards the end of the programme ({month1} {next_year}).",
)
LEADS = (
    "The Police and Crime Commissioner and Chief Constable are recommended to",
    "The Police and Crime Commissioner is recommended to",
    "The Joint Management Board is asked to",
    "The Chief Constable is recommended to",
)
ITEMS = (
    "approve {what} as set out in this report.",
    "enter into a collaborative agreement with {partner} to secure the governance and payment "
    "arrangements for {short}.",
    "delegate authority to the Director of Resources to agree the final terms of the contract.",
    "note the risks and the mitigations set out in section 4 of the report.",
    "approve expenditure of up to {amount} from the capital programme for {year}/{yy_next}.",
    "agree that the arrangement be reviewed after {n} months, with a report back to the board.",
    "authorise the Chief Finance Officer to release the funding in two stages, the second on "
    "evidence of delivery.",
)
BACKGROUND = (
    "{partner} has delivered {what}, and {org} signed a statement of intent to take part in "
    "{next_year}.",
    "As the statement of intent is not legally binding there is no requirement to sign the agreement "
    "until {org} formally begins the on-boarding process.",
    "The report seeks authority to enter into a collaborative agreement under Section 22A of the "
    "Police Act 1996 covering {what}.",
    "Officers in the {dept} department have reviewed the proposal with colleagues in Legal Services "
    "and Finance.",
    "The current arrangement expires on {expiry} and cannot be extended under its existing terms.",
    "Three options were considered: to do nothing, to procure locally, or to join the national "
    "arrangement led by {partner}.",
    "Joining the national arrangement offers the best value, as the costs are shared between forces "
    "in proportion to their funding.",
    "A pilot in {district} between {month1} and {month2} {year} showed {pct} per cent fewer repeat "
    "calls from the same victims.",
    "The {short} project board met on {n} occasions during the year and recommended that the force "
    "proceed.",
    "The draft agreement was circulated to forces and Commissioners in {month1} {year}, and no "
    "substantive objections were received.",
    "The work will take place over the {season} of {year}, with the service expected to go live in "
    "{month2}.",
    "Demand on the service has risen by {pct} per cent since {prev_year}, and the present "
    "arrangements are no longer sustainable.",
    "The proposal was presented to the Strategic Change Board on {day_text}, which supported it "
    "subject to the conditions described below.",
    "A business case setting out the benefits, costs and risks is held by the programme office and "
    "is available to members on request.",
    "{org} will remain the controller of the data processed by the service, and a data protection "
    "impact assessment has been completed.",
    "Staff affected by the change have been briefed through the usual consultation channels.",
    "The supplier was selected through a compliant mini-competition under the {framework} "
    "framework, scoring highest on both quality and price.",
    "Savings of {amount} a year are expected from the second year onwards, once the old system is "
    "switched off.",
    "Neighbouring forces in Cumbria, Merseyside and Greater Manchester have already adopted the "
    "same approach.",
    "The finances remain the same but in {next_year}/{yy_next2} contracting moves to {partner}.",
)
APPENDIX_MENTIONS = (
    "Clarification of the concerns raised nationally (Appendix {label}) was sent out in {month1} "
    "{year} and has provided assurance.",
    "The evaluation of the pilot is attached as Appendix {label}.",
    "The full options appraisal is set out in Appendix {label}.",
    "The terms of the draft agreement are summarised in Appendix {label}.",
)
APPENDIX_TITLES = (
    "Clarification of national concerns",
    "Evaluation of the {district} pilot",
    "Options appraisal",
    "Summary of the draft agreement",
    "Equality impact assessment",
    "Project plan and milestones",
)
PLAN_LINKS = (
    "The proposal supports the priority of {priority} set out in the Police and Crime Plan.",
    "Our future investment in {short} acts as an enabler to achieve the priorities set out in the "
    "Police and Crime Plan.",
    "It contributes directly to the commitment to {priority2}, and to the efficiency savings the "
    "plan requires.",
    "Progress will be reported to the Commissioner through the quarterly performance framework.",
)
CONSULTATION = (
    "The Chief Officer Team, the Head of Legal Services and the Chief Finance Officer were consulted "
    "and support the proposal.",
    "Staff associations and the trade unions were consulted during {month1} {year} and raised no "
    "objections.",
    "{partner} and neighbouring forces were consulted through the regional collaboration board.",
    "No public consultation was needed, as the proposal continues an existing service on the same "
    "terms.",
    "The Independent Advisory Group was briefed in {month2} and its comments are reflected in the "
    "equality assessment.",
)
RISKS = (
    "The main risk is delay in delivery by {partner}, which will be managed through the programme "
    "board.",
    "Not proceeding would leave {org} without a supported service after {expiry}.",
    "Supplier failure is mitigated by a parent company guarantee and a tested exit plan.",
    "The risk register for {short} is reviewed monthly, and no risk is currently rated red.",
    "There is a reputational risk if the new service is less accessible than the old one, mitigated "
    "by user testing before go-live.",
)
LEGAL = (
    "The agreement is made under Section 22A of the Police Act 1996, which allows forces and "
    "policing bodies to collaborate.",
    "The procurement complies with the Public Contracts Regulations 2015, and the contract has been "
    "reviewed by Legal Services.",
    "The data sharing arrangements comply with the Data Protection Act 2018 and the UK GDPR.",
    "None: the decision continues an existing agreement on the same legal terms.",
    "The Commissioner has the power to enter into the contract under Schedule 1 of the Police Reform "
    "and Social Responsibility Act 2011.",
)
FINANCIAL = (
    "The cost to {org} is {amount} a year, met from the existing revenue budget.",
    "Capital expenditure of {amount} is included in the approved capital programme for "
    "{year}/{yy_next}.",
    "The Chief Finance Officer has confirmed that the costs are affordable within the medium term "
    "financial strategy.",
    "The contribution of each force is set by a funding formula agreed nationally, and the share "
    "for {org} is {pct} per cent.",
    "There is no change to the revenue budget in {year}/{yy_next}; the savings are built into the "
    "plan from the following year.",
)
EQUALITY = (
    "An equality impact assessment was completed in {month1} {year} and found no adverse impact on "
    "any protected group.",
    "The service will be accessible to people with disabilities and meets the public sector "
    "accessibility regulations.",
    "Translation into the five most requested community languages will be provided from launch.",
    "None: the decision concerns a back-office contract with no change to the service the public "
    "receives.",
)
PAPERS = (
    (
        "Police and Crime Plan for Lancashire {plan}",
        "https://www.lancashire-pcc.gov.uk/plan-{plan}",
    ),
    ("Medium Term Financial Strategy {year}/{yy_next}", "JMB/{year}/MTFS"),
    ("Report to the Strategic Change Board, {day_text}", "SCB/{year}/{n}"),
    ("National guidance on {short}", "https://www.college.police.uk/guidance/{slug}"),
    ("Business case for {short}", "PO/{year}/{pct}"),
)
#: Part 2 says what Part 1 withholds, in its own words and figures: a record whose Part 2 repeated
#: Part 1's sentences or amounts would be a leak (JMB106), not a clean record. As many templates as
#: FINANCIAL, so that drawing from them takes the same turns of the generator.
CONFIDENTIAL = (
    "The preferred bidder's price is {bid} over the life of the contract.",
    "The second-ranked bid was {bid2}, and its quality score was lower on every criterion.",
    "The discount offered for a term of {term} years is commercially confidential until signature.",
    "Negotiations on the break clause continue; the fallback position is {notice} months' notice.",
    "The supplier's day rate of {rate} for additional work is not to be disclosed.",
)
PART2_HEADINGS = ("Commercial terms", "Tender evaluation", "Operational details", "Staffing")
DEFECTS = ("bare-none", "question", "missing-appendix")
QUESTIONS = (
    "What are the financial implications of on boarding {short}",
    "Has {partner} confirmed its share of the costs?",
    "Is there a break clause if the service does not go live on time?",
    "How will the savings be measured",
)


@dataclass
class Record:
    """One generated record: where it goes, its text, its attachments, and its defect if any."""

    path: Path
    text: str
    attachments: list[Path] = field(default_factory=list)
    defect: str | None = None


def capital(sentence: str) -> str:
    """``sentence`` with its first letter in upper case (a template may start with "the ...")."""
    return sentence[:1].upper() + sentence[1:]


def slugify(title: str) -> str:
    """A lower-case, hyphenated slug of ``title``."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:60].strip("-")


def block(key: str, paragraphs: Sequence[str], indent: int) -> list[str]:
    """``key: |`` and the paragraphs below it, wrapped to 100 columns, a blank line between them."""
    pad = " " * (indent + 2)
    lines = [f"{' ' * indent}{key}: |"]
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append("")
        lines.extend(textwrap.wrap(paragraph, 100, initial_indent=pad, subsequent_indent=pad))
    return lines


def plain_item(text: str, indent: int) -> list[str]:
    """A list item holding a plain (unquoted) scalar, wrapped like the reference record's."""
    first = " " * indent + "- "
    return textwrap.wrap(text, 100, initial_indent=first, subsequent_indent=" " * (indent + 2))


class Writer:
    """Writes the records of one repository from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def sentences(self, templates: Sequence[str], low: int, high: int, ctx: dict[str, Any]) -> str:
        """A paragraph of ``low`` to ``high`` distinct sentences drawn from ``templates``."""
        chosen = self.rng.sample(templates, self.rng.randint(low, min(high, len(templates))))
        return " ".join(capital(sentence.format(**ctx)) for sentence in chosen)

    def paragraphs(
        self, templates: Sequence[str], count: int, low: int, high: int, ctx: dict[str, Any]
    ) -> list[str]:
        """``count`` paragraphs of ``low`` to ``high`` sentences, no sentence used twice."""
        sizes = [self.rng.randint(low, high) for _ in range(count)]
        pool = self.rng.sample(templates, min(sum(sizes), len(templates)))
        paragraphs = []
        for size in sizes:
            chosen, pool = pool[:size], pool[size:]
            if chosen:
                paragraphs.append(" ".join(capital(s.format(**ctx)) for s in chosen))
        return paragraphs

    def reasoned(self, templates: Sequence[str], ctx: dict[str, Any]) -> str:
        """One or two sentences; a "None: because ..." answer stands alone when drawn."""
        text = self.sentences(templates, 1, 2, ctx)
        if "None:" in text:
            return next(t for t in templates if t.startswith("None:")).format(**ctx)
        return text

    def context(self, year: int, day: date, topic: tuple[str, str, str, str]) -> dict[str, Any]:
        rng = self.rng
        expiry = day + timedelta(days=rng.randint(60, 500))
        return {
            "org": rng.choice(("Lancashire Constabulary", "the force", "the Constabulary")),
            "short": topic[1],
            "what": topic[2],
            "partner": topic[3],
            "year": year,
            "prev_year": year - rng.randint(2, 5),
            "next_year": year + 1,
            "yy_next": f"{(year + 1) % 100:02d}",
            "yy_next2": f"{(year + 2) % 100:02d}",
            "month1": rng.choice(MONTHS),
            "month2": rng.choice(MONTHS),
            "season": rng.choice(SEASONS),
            "district": rng.choice(DISTRICTS),
            "pct": rng.randint(3, 40),
            "n": rng.randint(2, 12),
            "amount": f"\u00a3{rng.randint(15, 4000) * 1000:,}",
            "expiry": f"{expiry.day} {MONTHS[expiry.month - 1]} {expiry.year}",
            "day_text": f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}",
            "dept": rng.choice(("Information Services", "Estates", "Contact Management", "People")),
            "framework": rng.choice(("Crown Commercial Service", "BlueLight Commercial", "NEPO")),
            "priority": rng.choice(PRIORITIES),
            "priority2": rng.choice(PRIORITIES),
            "plan": rng.choice(("2016-2021", "2021-2025", "2025-2029")),
            "slug": slugify(topic[0]),
        }

    def record(self, year: int, seq: int, day: date) -> Record:
        rng = self.rng
        topic = rng.choice(TOPICS)
        title = topic[0] + rng.choice(TITLE_SUFFIXES)
        number = f"{year}/{seq:02d}"
        stem = number.replace("/", "-")
        folder = Path("records") / str(year)
        path = folder / f"{stem}-{slugify(title)}.yaml"
        ctx = self.context(year, day, topic)
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        defect = rng.choice(DEFECTS) if rng.random() < DEFECT_SHARE else None

        labels = ["A", "B"][: rng.choices((0, 1, 2), (15, 60, 25))[0]]
        if defect == "missing-appendix" and not labels:
            labels = ["A"]
        mentions = {
            label: rng.choice(APPENDIX_MENTIONS).format(label=label, **ctx) for label in labels
        }
        mentioned = list(labels)
        if defect == "missing-appendix":
            labels = labels[:-1]  # referred to in the text, but not listed

        background = self.paragraphs(BACKGROUND, rng.randint(3, 5), 2, 4, ctx)
        for number_, label in enumerate(mentioned):
            where = min(number_ + 1, len(background) - 1)
            background[where] += " " + mentions[label]
        implications = {
            "risks": [self.sentences(RISKS, 2, 3, ctx)],
            "legal": [self.reasoned(LEGAL, ctx)],
            "financial": [self.sentences(FINANCIAL, 2, 3, ctx)],
            "equality": [self.reasoned(EQUALITY, ctx)],
        }
        if labels and rng.random() < 0.5:
            implications["risks"][0] += (
                f" Based on the assurances set out in Appendix {labels[0]}, the remaining risks "
                "are low."
            )
        bare: str | None = None
        if defect == "bare-none":
            bare = rng.choice(("legal", "equality", "financial"))
        if defect == "question":
            question = rng.choice(QUESTIONS).format(**ctx)
            section = rng.choice(("financial", "risks"))
            implications[section].append(question)
        for paragraphs in implications.values():
            if rng.random() < 0.3 and not paragraphs[0].startswith("None:"):
                paragraphs.append(self.sentences(BACKGROUND, 1, 2, ctx))

        lines = [
            "# yaml-language-server: $schema=../../schemas/decision.schema.json",
            f"# Decision {number} of the Joint Management Board.",
            "jmb: 1",
            f'number: "{number}"',
            f"title: {title}",
            f"date: {day.isoformat()}",
            f"report_by: {rng.choice(AUTHORS)}",
            f"status: {status}",
            "",
        ]
        lines += block("executive_summary", [self.sentences(SUMMARY, 3, 4, ctx)], 0)
        lines += ["", "recommendation:", f"  lead: {rng.choice(LEADS)}", "  items:"]
        for item in rng.sample(ITEMS, rng.randint(2, 4)):
            lines += plain_item(item.format(**ctx), 4)
        lines += ["", "# Part II of the form: the report."]
        lines += block("background", background, 0)
        lines.append("")
        lines += block("plan_links", [self.sentences(PLAN_LINKS, 2, 3, ctx)], 0)
        lines.append("")
        lines += block("consultation", [self.sentences(CONSULTATION, 1, 3, ctx)], 0)
        lines += ["", "implications:"]
        for key, paragraphs in implications.items():
            if key == bare:
                lines.append(f"  {key}: {rng.choice(('None', 'N/A', 'None.'))}")
            else:
                lines += block(key, paragraphs, 2)
        lines += ["", "background_papers:"]
        for paper_title, reference in rng.sample(PAPERS, rng.randint(1, 3)):
            lines.append(f"  - title: {paper_title.format(**ctx)}")
            lines.append(f"    reference: {reference.format(**ctx)}")
        attachments: list[Path] = []
        if labels:
            lines += ["", "appendices:"]
            for label in labels:
                attachment = folder / f"{stem}-appendix-{label.lower()}.pdf"
                attachments.append(attachment)
                lines.append(f"  - label: {label}")
                lines.append(f"    title: {rng.choice(APPENDIX_TITLES).format(**ctx)}")
                lines.append(f"    file: {attachment.name}")
        else:
            lines += ["", "appendices: []"]
        lines.append("")
        if rng.random() < 0.1:
            lines += [
                "# Part 2: withheld from publication.",
                "part2:",
                "  marking: OFFICIAL-SENSITIVE",
                "  exemption: s.43 commercial interests",
                f"  review_on: {(day + timedelta(days=730)).isoformat()}",
                "  sections:",
                f"    - heading: {rng.choice(PART2_HEADINGS)}",
            ]
            # Part 2's figures come from a generator of their own, so that the records around
            # this one are the same whether or not it has a Part 2.
            own = random.Random(number)
            secret = {
                "bid": f"\u00a3{own.randint(4001, 9000) * 1000:,}",
                "bid2": f"\u00a3{own.randint(9001, 14000) * 1000:,}",
                "term": own.choice(("five", "seven", "ten")),
                "notice": own.choice(("six", "nine", "twelve")),
                "rate": f"\u00a3{own.randint(400, 990)}",
            }
            lines += block("text", [self.sentences(CONFIDENTIAL, 2, 3, secret)], 6)
        else:
            lines.append("part2: null")
        lines.append("")
        signed = day
        if status in ("approved", "published") or (
            status in ("rejected", "deferred") and rng.random() < 0.5
        ):
            # Signed as jmb sign signs: each signature carries the digest of the content.
            digest = content_digest(yaml.load("\n".join(lines), Loader=yaml.CSafeLoader))
            lines.append("signatures:")
            for role, names in SIGNERS.items():
                signed += timedelta(days=rng.randint(0, 10))
                lines += [
                    f"  - role: {role}",
                    f"    name: {rng.choice(names)}",
                    f"    date: {signed.isoformat()}",
                    f"    digest: {digest}",
                ]
        else:
            lines.append("signatures: []")
        lines += _history(status, day, signed)
        return Record(path, "\n".join(lines) + "\n", attachments, defect)

    def records(self, count: int) -> Iterator[Record]:
        """``count`` records spread over the years, numbered 1, 2, ... within each year."""
        per_year = -(-count // len(YEARS))
        for year_index, year in enumerate(YEARS):
            share = min(per_year, count - year_index * per_year)
            first = date(year, 1, 2)
            last = LAST_DECISION_DAY if year == LAST_DECISION_DAY.year else date(year, 12, 20)
            span = (last - first).days
            for seq in range(1, share + 1):
                yield self.record(year, seq, first + timedelta(days=span * (seq - 1) // share))


def _history(status: str, day: date, signed: date) -> list[str]:
    """The history that jmb status and jmb sign would have written on the way to ``status`` (a
    draft, or a record written as submitted, has none): the status agrees with its last entry."""
    moves = {
        "deferred": [("submitted", day), ("deferred", day)],
        "rejected": [("submitted", day), ("rejected", day)],
        "withdrawn": [("withdrawn", day)],
        "approved": [("submitted", day), ("approved", signed)],
        "published": [("submitted", day), ("approved", signed), ("published", signed)],
    }.get(status, [])
    lines = ["history:"] if moves else []
    for moved, on in moves:
        lines += [f"  - status: {moved}", f"    date: {on.isoformat()}"]
    return lines


def build_repository(repo: Path, count: int, seed: int) -> tuple[list[str], set[str], int]:
    """Write the repository; return its record paths, those with a seeded defect, and total bytes."""
    (repo / "schemas").mkdir(parents=True, exist_ok=True)
    schema = PROJECT / "schemas" / "decision.schema.json"
    target = repo / "schemas" / "decision.schema.json"
    if schema.is_file():
        shutil.copyfile(schema, target)
    else:  # not generated in the project yet: ask jmb for it
        target.write_text(
            subprocess.run(
                [tool("jmb"), "schema"], check=True, capture_output=True, text=True
            ).stdout,
            encoding="utf-8",
        )
    (repo / "jmb.toml").write_text(
        '[organisation]\nname = "Lancashire Constabulary"\n\n'
        '[board]\nname = "Joint Management Board"\n',
        encoding="utf-8",
    )
    paths: list[str] = []
    defective: set[str] = set()
    total = 0
    made: set[Path] = set()
    for record in Writer(seed).records(count):
        folder = repo / record.path.parent
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        data = record.text.encode("utf-8")
        (repo / record.path).write_bytes(data)
        total += len(data)
        for attachment in record.attachments:
            (repo / attachment).write_bytes(b"%PDF-1.4\n% appendix stub for the benchmark\n%%EOF\n")
        paths.append(record.path.as_posix())
        if record.defect:
            defective.add(record.path.as_posix())
    return sorted(paths), defective, total
