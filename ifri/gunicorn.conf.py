"""gunicorn's settings for `make run`, from the environment `make run` sets.

`make run` and tests/ifri/test_gunicorn.py start gunicorn with this file
alone (`gunicorn --config ifri/gunicorn.conf.py`), so both serve the site the
same way. Options given on the command line win over these.
"""

import os

wsgi_app = "ifri.wsgi"
bind = [f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
# A server started again after its predecessor was killed (kill -9, OOM
# killer) binds the port at once: the dead master's workers, which still hold
# the port until they notice their master is gone, would otherwise make it
# exit with "Address already in use".
reuse_port = True
# For a 2-core machine: one process per core plus one to cover the time a
# worker spends waiting on the database or on a client; the threads keep
# keep-alive connections and slow clients from holding a whole process.
workers = int(os.environ.get("WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
# Seconds a request may take before gunicorn restarts its worker: above
# PDF_CHECK_TIMEOUT, since PDF uploads are checked within the request.
timeout = int(os.environ.get("TIMEOUT", "120"))
accesslog = "-"
errorlog = "-"
# gunicorn's control socket (gunicornc) is shared by every gunicorn of the same
# user (~/.gunicorn/gunicorn.ctl): a second server would take it from the
# first. Nothing here uses it.
control_socket_disable = True
