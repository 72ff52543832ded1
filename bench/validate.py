"""Benchmark ``jmb validate`` against its floor and its nearest peer, in one run.

Usage: ``python bench/validate.py [N] [--repeat R] [--keep DIR]`` (N records, default 10000).

What is measured
----------------
The script generates a decision repository of N realistic records (each about the size and shape of
the reference record ``records/2019/2019-09-single-online-home.yaml``: every section filled with prose
in ``|`` block scalars, recommendation items, implications, background papers, an appendix the text
refers to with its attached file, signatures on the approved and published ones). The text is varied
with a seeded random generator, so every run builds the same repository. About 5% of the records carry
a realistic defect (a bare "None" implication, a question left in, an appendix referred to but not
listed) so that jmb's finding path is exercised too; the script checks that jmb reports exactly those
records and no clean one.

Then, each as its own subprocess from a cold start (a new interpreter, imports included), timed by
wall clock around ``subprocess.run``:

- the floor: one Python process that finds every record and parses it with PyYAML's libyaml loader
  (``yaml.load(text, Loader=yaml.CSafeLoader)``). No validator can read the files faster than that;
- ``jmb validate --format json`` in the generated repository (exit 1 is expected: the seeded defects);
- ``check-jsonschema --schemafile decision.schema.json <every file>``, the generic way to check the
  same files against the same schema (it checks less than jmb: the schema alone, no content rules).

Targets: jmb at most 2x the floor, and at least 3x faster than check-jsonschema. Start-up is measured
apart: ``jmb --version`` against ``check-jsonschema --version``, alternately, 15 times each; target jmb
at most half.

Why the peers are measured in the same run
------------------------------------------
This runs on shared, noisy machines (CI runners, laptops), where absolute times move by tens of per
cent from one minute to the next. A time measured yesterday cannot be compared with one measured
today, but two tools measured side by side, in alternation, under the same load, can: so the
figures to quote are the ratios, and the seconds are only context. With ``--repeat R`` the tools run
in R rounds, in rotating order, and each ratio is the median of its per-round ratios.

Only the standard library is used; the tools are run from the project's virtualenv.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from jmb.record.canonical import content_digest

PROJECT = Path(__file__).resolve().parent.parent
SEED = 2019
YEARS = tuple(range(2015, 2027))
#: Records of the last year are dated up to here, so that every signature is in the past.
LAST_DECISION_DAY = date(2026, 10, 15)
DEFECT_SHARE = 0.05
VERSION_ROUNDS = 15
#: Targets: jmb / floor at most, check-jsonschema / jmb at least, jmb / check-jsonschema start-up at most.
TARGET_FLOOR = 2.0
TARGET_PEER = 3.0
TARGET_STARTUP = 0.5

# -- the tools ----------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """The project's virtualenv copy of ``name``, else the one on PATH."""
    local = PROJECT / ".venv" / "bin" / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"bench: {name} not found (looked in {local.parent} and on PATH)")
    return found


FLOOR_SCRIPT = """\
import os, sys, yaml
count = 0
for folder, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in sorted(names):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), encoding="utf-8") as stream:
                yaml.load(stream.read(), Loader=yaml.CSafeLoader)
            count += 1
print(count)
"""

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
            lines += block("text", [self.sentences(FINANCIAL, 2, 3, ctx)], 6)
        else:
            lines.append("part2: null")
        lines.append("")
        if status in ("approved", "published") or (
            status in ("rejected", "deferred") and rng.random() < 0.5
        ):
            # Signed as jmb sign signs: each signature carries the digest of the content.
            digest = content_digest(yaml.load("\n".join(lines), Loader=yaml.CSafeLoader))
            lines.append("signatures:")
            signed = day
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


# -- measuring ------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed subprocess."""

    wall: float
    cpu: float
    returncode: int
    stdout: str
    stderr: str


def timed(command: Sequence[str], cwd: Path) -> Run:
    """Run ``command`` in ``cwd``; its wall time and the CPU time of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, done.returncode, done.stdout, done.stderr)


class Failure(Exception):
    """A tool did not do what the benchmark needs; the figures would mean nothing."""


def fits_command_line(command: Sequence[str]) -> bool:
    """Whether ``command`` fits in one exec (argument and environment bytes under ARG_MAX)."""
    limit = os.sysconf("SC_ARG_MAX")
    used = sum(len(arg.encode()) + 1 + 8 for arg in command)
    used += sum(len(k) + len(v) + 2 + 8 for k, v in os.environ.items())
    return used < limit - 4096


@dataclass
class Tool:
    """One contender: its label, command, and a check of its output."""

    label: str
    command: list[str]
    check: Callable[[Run], str]
    runs: list[Run] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [run.wall for run in self.runs]


def tail(text: str, lines: int = 8) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def check_floor(count: int) -> Callable[[Run], str]:
    def check(run: Run) -> str:
        if run.returncode != 0 or run.stdout.strip() != str(count):
            raise Failure(
                f"bare parse: exit {run.returncode}, output {run.stdout.strip()!r}\n"
                f"{tail(run.stderr)}"
            )
        return f"{count} files parsed"

    return check


def check_jmb(count: int, defective: set[str]) -> Callable[[Run], str]:
    def check(run: Run) -> str:
        if run.returncode not in (0, 1):
            raise Failure(f"jmb validate: exit {run.returncode}\n{tail(run.stderr)}")
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError as error:
            raise Failure(
                f"jmb validate: output is not JSON ({error})\n{tail(run.stdout)}"
            ) from None
        counts = report["counts"]
        if counts["files"] != count:
            raise Failure(f"jmb validate checked {counts['files']} files, not {count}")
        flagged = {finding["path"] for finding in report["findings"]}
        codes = sorted({finding["code"] for finding in report["findings"]})
        stray = sorted(flagged - defective)
        missed = sorted(defective - flagged)
        note = (
            f"exit {run.returncode}, {counts['errors']} errors + {counts['warnings']} warnings "
            f"({', '.join(codes)}) in {len(flagged)} records; seeded defects {len(defective)}"
        )
        if stray or missed:
            sample = [f for f in report["findings"] if f["path"] in stray][:3]
            note += (
                f"; MISMATCH: {len(stray)} clean records flagged, {len(missed)} defects missed "
                f"{json.dumps(sample)[:400]}"
            )
        else:
            note += ", all found, no clean record flagged"
        return note

    return check


def check_peer(run: Run) -> str:
    if run.returncode != 0:
        raise Failure(
            f"check-jsonschema: exit {run.returncode}\n{tail(run.stdout)}\n{tail(run.stderr)}"
        )
    return run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "ok"


def ratio_line(label: str, value: float, op: str, target: float) -> str:
    held = value <= target if op == "<=" else value >= target
    return f"  {label:<34} {value:6.2f}x   target {op} {target:g}x   {'MET' if held else 'MISSED'}"


def median_ratio(numerators: list[float], denominators: list[float]) -> float:
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def measure_validation(
    repo: Path, paths: list[str], defective: set[str], repeat: int
) -> tuple[list[Tool], list[str]]:
    python = tool("python")
    count = len(paths)
    schema = "schemas/decision.schema.json"
    tools = [
        Tool(
            "bare parse (CSafeLoader)", [python, "-c", FLOOR_SCRIPT, "records"], check_floor(count)
        ),
        Tool(
            "jmb validate --format json",
            [tool("jmb"), "validate", "--format", "json"],
            check_jmb(count, defective),
        ),
        Tool(
            "check-jsonschema",
            [tool("check-jsonschema"), "--schemafile", schema, *paths],
            check_peer,
        ),
    ]
    if not fits_command_line(tools[2].command):
        raise Failure(f"{count} paths do not fit on one check-jsonschema command line (ARG_MAX)")
    notes: dict[str, str] = {}
    for round_ in range(repeat):
        order = tools[round_ % 3 :] + tools[: round_ % 3]
        for contender in order:
            run = timed(contender.command, repo)
            notes[contender.label] = contender.check(run)
            contender.runs.append(run)
    return tools, [f"  {label}: {note}" for label, note in notes.items()]


def measure_startup(rounds: int) -> tuple[list[float], list[float]]:
    jmb = [tool("jmb"), "--version"]
    peer = [tool("check-jsonschema"), "--version"]
    here = Path.cwd()
    jmb_walls: list[float] = []
    peer_walls: list[float] = []
    for round_ in range(rounds):
        pair = ((jmb, jmb_walls), (peer, peer_walls))
        for command, walls in pair if round_ % 2 == 0 else reversed(pair):
            run = timed(command, here)
            if run.returncode != 0 or not run.stdout.strip():
                raise Failure(f"{' '.join(command)}: exit {run.returncode}\n{tail(run.stderr)}")
            walls.append(run.wall)
    return jmb_walls, peer_walls


def jmb_revision() -> str:
    """The commit jmb is at, and whether jmb/ has uncommitted changes (read-only git calls)."""
    git = ["git", "--no-optional-locks", "-C", str(PROJECT)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "jmb"], check=False)
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return f"jmb at {head}{' + uncommitted changes' if dirty.returncode else ''}"


def report(
    count: int,
    total_bytes: int,
    repeat: int,
    tools: list[Tool],
    notes: list[str],
    startup: tuple[list[float], list[float]],
) -> None:
    floor, jmb, peer = tools
    print(
        f"jmb validate benchmark: {count} records, mean {total_bytes / count / 1024:.1f} KB "
        f"({total_bytes / 2**20:.1f} MB), {os.cpu_count()} CPUs, {repeat} round(s), "
        f"Python {sys.version.split()[0]}, {jmb_revision()}"
    )
    print(f"  {'tool':<28} {'wall s':>8} {'records/s':>10} {'cpu s':>8}")
    for contender in tools:
        wall = statistics.median(contender.walls)
        cpu = statistics.median(run.cpu for run in contender.runs)
        print(f"  {contender.label:<28} {wall:8.2f} {count / wall:10.0f} {cpu:8.2f}")
    print("\n".join(notes))
    print("ratios (median of per-round ratios; quote these, not the seconds):")
    print(ratio_line("jmb / bare parse", median_ratio(jmb.walls, floor.walls), "<=", TARGET_FLOOR))
    print(
        ratio_line("check-jsonschema / jmb", median_ratio(peer.walls, jmb.walls), ">=", TARGET_PEER)
    )
    cpu_ratio = median_ratio([r.cpu for r in jmb.runs], [r.cpu for r in floor.runs])
    print(
        f"  {'jmb / bare parse, CPU seconds':<34} {cpu_ratio:6.2f}x   (for information: jmb uses every core)"
    )
    jmb_start, peer_start = startup
    print(f"start-up, {len(jmb_start)} alternating runs each:")
    for label, walls in (("jmb --version", jmb_start), ("check-jsonschema --version", peer_start)):
        print(f"  {label:<28} median {statistics.median(walls):6.3f} s   min {min(walls):6.3f} s")
    print(
        ratio_line(
            "jmb / check-jsonschema (median)",
            statistics.median(jmb_start) / statistics.median(peer_start),
            "<=",
            TARGET_STARTUP,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="records (10000)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the three tools (1)")
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("N and --repeat must be at least 1")
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: the folder is not empty")

    with tempfile.TemporaryDirectory(prefix="jmb-bench-") as scratch:
        repo = args.keep.resolve() if args.keep is not None else Path(scratch) / "repo"
        started = time.perf_counter()
        paths, defective, total = build_repository(repo, args.count, args.seed)
        print(
            f"generated {len(paths)} records ({len(defective)} with seeded defects) in {repo} "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        try:
            for command in ([tool("jmb"), "--version"], [tool("check-jsonschema"), "--version"]):
                timed(command, repo)  # untimed warm-up: byte-code and disk caches
            tools, notes = measure_validation(repo, paths, defective, args.repeat)
            startup = measure_startup(VERSION_ROUNDS)
        except Failure as failure:
            print(f"bench: {failure}", file=sys.stderr)
            return 1
        report(len(paths), total, args.repeat, tools, notes, startup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
