"""reviewer: a reviewer for Python code and Jupyter notebooks, built for AI-written code."""

__version__ = "0.1.0"


# --- Jupyter entry points (Jupyter finds these by name; everything is imported lazily) ---------


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-reviewer"}]


def load_ipython_extension(ipython: object) -> None:
    """`%load_ext reviewer` registers the `%review` line magic and `%%review` cell magic."""
    from reviewer.integrations.jupyter.magic import register

    register(ipython)


def show(report: object) -> object:
    """Render a Report as an interactive ipywidgets table (classic Notebook, VS Code, Colab)."""
    from reviewer.integrations.jupyter.widget import show as show_widget

    return show_widget(report)
