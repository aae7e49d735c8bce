"""Code under test."""


def build_report(rows):
    if not rows:
        raise ValueError("no rows")
    return {"count": len(rows), "total": sum(r["amount"] for r in rows)}


def send_report(report, mailer):
    mailer.send(to="team@example.com", body=str(report))
