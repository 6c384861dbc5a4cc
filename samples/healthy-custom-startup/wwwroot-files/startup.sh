#!/bin/bash
# Runs on every container start: migrate, then hand the process to gunicorn.
python manage.py migrate --noinput
exec gunicorn --bind=0.0.0.0 --timeout 600 --workers 3 mysite.wsgi
