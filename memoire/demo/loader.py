"""Load the demo archive shipped in the package, through the same importer users run."""

from __future__ import annotations

from pathlib import Path

from memoire.extensions import db

DEMO_DIR = Path(__file__).resolve().parent / "data"


def load_demo():
    """Import the demo stories (idempotent) and its exhibition; run the media jobs."""
    from memoire.imports.operations import import_path
    from memoire.jobs import operations as jobs
    from memoire.search import service

    summary = import_path(None, DEMO_DIR / "stories.jsonl")
    jobs.run_pending()
    exhibition = DEMO_DIR / "exhibition.json"
    if exhibition.exists():
        try:
            from memoire.exhibitions.operations import import_exhibition_file
        except ImportError:  # exhibitions not installed in this build
            pass
        else:
            import_exhibition_file(None, exhibition)
            db.session.commit()
    network = DEMO_DIR / "network.json"
    if network.exists():  # the houses, workshops and method cards behind the stories
        from memoire.network.demo import load_network

        load_network(network)
        db.session.commit()
    workbench = DEMO_DIR / "workbench.json"
    if workbench.exists():  # chapters, confirmed place links, a second language track
        from memoire.transcripts.demo import load_workbench

        load_workbench(workbench)
        db.session.commit()
    walks = DEMO_DIR / "walks.json"
    if walks.exists():  # a walk through Dutemple and one through Epinlieu
        from memoire.walks.demo import load_walks

        load_walks(walks)
        db.session.commit()
    then_now = DEMO_DIR / "then_now.json"
    if then_now.exists():  # two archive photos, each with a resident's photo of the view today
        from memoire.demo.then_now import load_then_now

        load_then_now(then_now)
        db.session.commit()
    service.apply_pending_after_commit()
    return summary
