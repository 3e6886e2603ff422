# The Regionet image: web (gunicorn), Celery workers and beat all run from it
# (docker-compose.yml). The code belongs to root and is read-only for the app user.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
WORKDIR /app
RUN useradd --system --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin regionet
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# The Dutch catalogue is committed compiled (locale/nl/LC_MESSAGES/django.mo), so the image
# needs no gettext. A failed collectstatic fails the build: a site without its CSS must not ship.
RUN SECRET_KEY=build-only MELDPUNT_KEYS=YnVpbGQtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8= DEBUG=0 python manage.py collectstatic --noinput \
 && mkdir -p /data/media /data/private \
 && chown regionet:regionet /app/var /data/media /data/private
USER regionet
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
