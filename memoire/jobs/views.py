"""/admin/jobs: what the job queue is doing, and the jobs that failed, for administrators."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import func, select

from memoire.admin.views import admin_required
from memoire.extensions import db
from memoire.jobs.models import Job

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")

#: Most jobs listed per section.
LIMIT = 100


@bp.get("/")
@admin_required
def index():
    counts = dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    failed = db.session.scalars(
        select(Job).where(Job.status == "failed").order_by(Job.id.desc()).limit(LIMIT)
    ).all()
    # Pending jobs that already failed once: waiting for their next try.
    retrying = db.session.scalars(
        select(Job)
        .where(Job.status == "pending", Job.attempts > 0)
        .order_by(Job.run_after)
        .limit(LIMIT)
    ).all()
    running = db.session.scalars(
        select(Job).where(Job.status == "running").order_by(Job.id).limit(LIMIT)
    ).all()
    mode = str(current_app.config.get("MEMOIRE_JOBS") or "db")
    return render_template(
        "jobs/index.html",
        counts=counts,
        failed=failed,
        retrying=retrying,
        running=running,
        mode=mode,
    )
