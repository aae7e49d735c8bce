"""Formatting helpers for support bot replies."""


def format_reply(answer, max_length=500):
    """Format an answer for the chat widget."""
    assert isinstance(answer, str), "answer must be a string"  # expect: RV311
    if max_length <= 0:  # ok: RV311
        raise ValueError("max_length must be positive")
    text = answer.strip()
    assert text is not None  # ok: RV311
    return text[:max_length]


def format_ticket_summary(ticket):  # expect: RV312
    """Production-ready ticket summary that handles all edge cases."""
    title = ticket.get("title", "")
    # TODO: handle tickets without a requester
    return f"{title} ({ticket['requester']})"


def format_signature(agent):  # ok: RV312
    """Format the agent signature."""
    # TODO: localize the greeting
    return f"Best regards,\n{agent}"
