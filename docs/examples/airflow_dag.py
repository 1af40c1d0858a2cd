"""An Airflow DAG that writes each consultation's reports with ``workbook report``.

Copy this file into Airflow's ``dags/`` folder and set the three names below. One task per
consultation, each a BashOperator running the same command as the cron line in
docs/scheduling.md; the tasks are independent, so one consultation's failure never stops
another. ``workbook report`` validates first where the clean data is missing or stale.

Exit codes (docs/data-contract.md): 0 done; 1 some reports failed (the task fails, the other
reports were published and the index says which); 2 unusable input (nothing written); 130
interrupted. None of them is 99, the code BashOperator takes as "skip".

Written for Airflow 2.4+ and 3.x (the imports moved in 3.0; the arguments are the same).
"""

from __future__ import annotations

import datetime

import pendulum

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.operators.bash import BashOperator

#: Where the workbook is checked out, with its .venv made by `make setup`.
WORKBOOK_HOME = "/srv/participation-workbook"
#: The tree holding data/raw/<consultation>/ (and where reports/ is written); it may be
#: WORKBOOK_HOME itself.
WORKBOOK_ROOT = "/srv/workbook-data"
#: The consultations to report on: folder names under data/raw/.
CONSULTATIONS = ["care-at-home-2026"]

with DAG(
    dag_id="participation_reports",
    schedule="15 6 * * 1",  # Mondays at 06:15, as the cron line
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,  # a second run of a consultation would be refused anyway (exit 2)
    dagrun_timeout=datetime.timedelta(hours=2),
    tags=["participation", "reports"],
) as dag:
    for consultation in CONSULTATIONS:
        BashOperator(
            task_id=f"report_{consultation.replace('-', '_')}",
            bash_command=f".venv/bin/workbook report {consultation}",
            cwd=WORKBOOK_HOME,
            env={"WORKBOOK_ROOT": WORKBOOK_ROOT},
            append_env=True,
            retries=0,  # a failed region is in the log and the index: fix it, then run again
        )
