"""Work that runs beside the pages: the event reminders (a day ahead), the mail worker (notices by e-mail into the
outbox, the outbox to the mail server) and the daily/weekly digests. State lives in the database, so a restart
neither loses a reminder or a mail nor sends one twice (see services/outbox.py for the one narrow exception).
Everything runs in worker threads: the event loop never waits for the database or a mail server."""

import asyncio
import logging

from nicegui import app, run

from services import attendance, db, digest, outbox, retention

log = logging.getLogger(__name__)
REMINDER_INTERVAL = 60.0  # seconds
MAIL_INTERVAL = 5.0  # seconds between runs of the mail worker when the outbox is empty
MAIL_BATCH = 50  # mails per round; a full round is followed by the next at once
DIGEST_INTERVAL = 60.0  # seconds between looks at the digest schedule
PURGE_EVERY = 60  # digest rounds between clean-ups (old sent mails, services/retention.py): hourly


async def _remind_forever() -> None:
    while True:
        try:
            sent = await run.io_bound(db.call, attendance.send_due_reminders)
            if sent:
                log.info('sent %d event reminders', sent)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception('event reminders failed; trying again in a minute')
        await asyncio.sleep(REMINDER_INTERVAL)


def _mail_round() -> int:
    """One round of the mail worker (in a worker thread): immediate notices into the outbox, then send what is due."""
    queued = db.call(digest.queue_immediate)
    report = db.call(outbox.send_due, limit=MAIL_BATCH)
    if queued or report.claimed:
        log.info('mail worker: %d queued, %d sent, %d to retry, %d failed', queued, report.sent, report.retried,
                 report.failed)
    return report.sent if report.claimed == report.sent else 0  # a full batch sent: go on at once


async def _mail_forever() -> None:
    while True:
        busy = 0
        try:
            busy = await run.io_bound(_mail_round)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception('mail worker failed; trying again shortly')
        await asyncio.sleep(0.1 if busy >= MAIL_BATCH else MAIL_INTERVAL)


def _digest_round(purge: bool) -> None:
    for report in db.call(digest.run_due_digests):
        log.info('%s digest: %d mails for %d members (%d notices)', report.channel, report.mails, report.members,
                 report.notices)
    if purge:
        db.call(outbox.purge_sent)
        pruned = db.call(retention.prune)
        if any(vars(pruned).values()):
            log.info('clean-up: %s', pruned)


async def _digests_forever() -> None:
    rounds = 0
    while True:
        try:
            await run.io_bound(_digest_round, rounds % PURGE_EVERY == 0)
            rounds += 1
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception('digests failed; trying again in a minute')
        await asyncio.sleep(DIGEST_INTERVAL)


def install() -> None:
    tasks: list[asyncio.Task] = []

    def start() -> None:
        loop = asyncio.get_running_loop()
        tasks.extend(loop.create_task(job()) for job in (_remind_forever, _mail_forever, _digests_forever))

    app.on_startup(start)
    app.on_shutdown(lambda: [t.cancel() for t in tasks])
