#!/bin/bash
# metrics exporter in the background (listens on 8000 too), then the app
python metrics.py &
gunicorn --bind=0.0.0.0:8000 --timeout 600 app:app
