"""Weekly support reports: ticket statistics, escalations and a Markdown summary for the team."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from tabulate import tabulate  # expect: RV315 (pyproject.toml does not list tabulate)

logger = logging.getLogger(__name__)

SLA_HOURS = {"urgent": 4, "high": 24, "normal": 72, "low": 168}


@dataclass
class TicketRow:
    id: int  # ok: RV203
    type: str = "question"  # ok: RV203
    status: str = "open"
    priority: str = "normal"
    team: str = "support"
    hours_open: float = 0.0
    tags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def format(self):  # ok: RV203
        return f"#{self.id} [{self.priority}] {self.type}"


class ReportWindow:
    def __init__(self, start, end, team, status, priority, channel, limit):  # ok: RV204
        self.start = start
        self.end = end
        self.team = team
        self.status = status
        self.priority = priority
        self.channel = channel
        self.limit = limit


def filter_tickets(rows, start, end, team, status, priority, channel, include_closed=False):  # expect: RV204
    selected = []
    for row in rows:
        if row.team != team or row.priority != priority or channel not in row.tags:
            continue
        if row.status == "closed" and not include_closed:
            continue
        if status and row.status != status:
            continue
        selected.append(row)
    logger.info("selected %d tickets between %s and %s", len(selected), start, end)
    return selected


def tickets_by_id(rows):
    index = {}
    for row in rows:
        id = row.id  # expect: RV203
        index[id] = row
    return index


def count_types(rows):
    type = Counter(row.type for row in rows)  # expect: RV203
    return dict(type)


def average_hours(rows):
    ticket_hours = [row.hours_open for row in rows]  # ok: RV203
    return sum(ticket_hours) / max(len(ticket_hours), 1)


def collect_escalations(teams):
    escalations = []
    for team in teams:
        for ticket in team.tickets:
            if ticket.status != "closed":
                for comment in ticket.comments:
                    if "manager" in comment.lower():
                        escalations.append((team.name, ticket.id, comment))  # expect: RV205
    return escalations


def collect_escalations_flat(teams):
    escalations = []
    for team in teams:
        for ticket in team.tickets:
            if ticket.status == "closed":
                continue
            mentions = [c for c in ticket.comments if "manager" in c.lower()]  # ok: RV205
            escalations.extend((team.name, ticket.id, c) for c in mentions)
    return escalations


def sla_label(row, now):  # expect: RV207
    if row.status == "closed":
        return "done"
    limit = SLA_HOURS.get(row.priority)
    if limit is None:
        if row.type == "incident" or "outage" in row.tags:
            limit = SLA_HOURS["urgent"]
        elif row.type == "bug" and row.team == "platform":
            limit = SLA_HOURS["high"]
        else:
            limit = SLA_HOURS["normal"]
    for tag in row.tags:
        if tag.startswith("sla:"):
            try:
                limit = int(tag.split(":", 1)[1])
            except ValueError:
                if row.priority == "urgent" and not row.comments:
                    logger.warning("bad SLA tag %r on ticket %s", tag, row.id)
    weekend = now.weekday() >= 5
    remaining = limit - row.hours_open - (24 if weekend else 0)
    return "breached" if remaining < 0 else "at risk" if remaining < limit / 4 else "on track"


def sla_label_simple(row):  # ok: RV207
    if row.status == "closed":
        return "done"
    limit = SLA_HOURS.get(row.priority, SLA_HOURS["normal"])
    remaining = limit - row.hours_open
    if remaining < 0:
        return "breached"
    return "at risk" if remaining < limit / 4 else "on track"


def render_weekly_report(rows, week_start: date, generated_at: datetime):  # expect: RV206
    """Build the Markdown report posted to the support channel every Monday."""
    lines = []
    lines.append(f"# Support report for the week of {week_start.isoformat()}")
    lines.append("")
    lines.append(f"_Generated at {generated_at:%Y-%m-%d %H:%M}_")
    lines.append("")

    # Overview
    total = len(rows)
    open_rows = [row for row in rows if row.status != "closed"]
    closed_rows = [row for row in rows if row.status == "closed"]
    lines.append("## Overview")
    lines.append("")
    lines.append(f"- Tickets this week: {total}")
    lines.append(f"- Still open: {len(open_rows)}")
    lines.append(f"- Closed: {len(closed_rows)}")
    lines.append(f"- Average hours open: {average_hours(rows):.1f}")
    lines.append("")

    # By priority
    lines.append("## By priority")
    lines.append("")
    lines.append("| Priority | Tickets | Open | SLA (hours) |")
    lines.append("|---|---|---|---|")
    for priority, hours in SLA_HOURS.items():
        matching = [row for row in rows if row.priority == priority]
        still_open = [row for row in matching if row.status != "closed"]
        lines.append(f"| {priority} | {len(matching)} | {len(still_open)} | {hours} |")
    lines.append("")

    # By type
    lines.append("## By type")
    lines.append("")
    lines.append("| Type | Tickets |")
    lines.append("|---|---|")
    for ticket_type, count in count_types(rows).items():
        lines.append(f"| {ticket_type} | {count} |")
    lines.append("")

    # By team
    lines.append("## By team")
    lines.append("")
    teams = Counter(row.team for row in rows)
    lines.append("| Team | Tickets | Share |")
    lines.append("|---|---|---|")
    for team, count in teams.most_common():
        share = count / max(total, 1)
        lines.append(f"| {team} | {count} | {share:.0%} |")
    lines.append("")

    # SLA status
    lines.append("## SLA status")
    lines.append("")
    labels = Counter(sla_label(row, generated_at) for row in rows)
    lines.append(f"- On track: {labels['on track']}")
    lines.append(f"- At risk: {labels['at risk']}")
    lines.append(f"- Breached: {labels['breached']}")
    lines.append(f"- Done: {labels['done']}")
    lines.append("")

    # Oldest open tickets
    lines.append("## Oldest open tickets")
    lines.append("")
    oldest = sorted(open_rows, key=lambda row: row.hours_open, reverse=True)[:10]
    if not oldest:
        lines.append("No open tickets. Nice work!")
    for row in oldest:
        lines.append(f"- {row.format()} open for {row.hours_open:.0f} hours")
    lines.append("")

    # Tags
    lines.append("## Most common tags")
    lines.append("")
    tags = Counter(tag for row in rows for tag in row.tags)
    for tag, count in tags.most_common(10):
        lines.append(f"- `{tag}`: {count}")
    lines.append("")

    # Escalations
    lines.append("## Escalations")
    lines.append("")
    escalated = [row for row in rows if any("manager" in c.lower() for c in row.comments)]
    lines.append(f"{len(escalated)} tickets mention a manager in their comments.")
    for row in escalated[:5]:
        lines.append(f"- {row.format()}")
    lines.append("")

    # Channels
    lines.append("## Channels")
    lines.append("")
    channels = Counter(tag.removeprefix("channel:") for row in rows for tag in row.tags if tag.startswith("channel:"))
    lines.append("| Channel | Tickets |")
    lines.append("|---|---|")
    for channel, count in channels.most_common():
        lines.append(f"| {channel} | {count} |")
    lines.append("")

    # Unanswered
    lines.append("## Waiting for a first reply")
    lines.append("")
    unanswered = [row for row in open_rows if not row.comments]
    lines.append(f"{len(unanswered)} open tickets have no reply yet.")
    for row in unanswered[:5]:
        lines.append(f"- {row.format()}")
    lines.append("")

    # Footer
    lines.append("---")
    lines.append("Questions about this report? Ask in #support-tooling.")
    return "\n".join(lines)


def render_summary(rows, week_start):  # ok: RV206
    """The one-paragraph version for the weekly e-mail."""
    open_count = sum(1 for row in rows if row.status != "closed")
    return (
        f"Week of {week_start.isoformat()}: {len(rows)} tickets, {open_count} still open, "
        f"average {average_hours(rows):.1f} hours open."
    )


def render_table(rows):
    """The tickets as a plain-text table for the terminal."""
    return tabulate([(row.id, row.team, row.status) for row in rows], headers=["id", "team", "status"])
