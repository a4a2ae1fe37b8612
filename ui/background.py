"""Work that runs beside the pages: the event reminders (a day ahead). State lives in the database, so a restart
neither loses a reminder nor sends one twice."""

import asyncio
import logging

from nicegui import app, run

from services import attendance, db

log = logging.getLogger(__name__)
REMINDER_INTERVAL = 60.0  # seconds


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


def install() -> None:
    tasks: list[asyncio.Task] = []
    app.on_startup(lambda: tasks.append(asyncio.get_running_loop().create_task(_remind_forever())))
    app.on_shutdown(lambda: [t.cancel() for t in tasks])
