# The CCHC portal image: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CCHC_VAR_DIR=/app/var

WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext postgresql-client curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 1000 cchc

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=cchc:cchc . .
# Static files are collected at build time; the key below exists only for this step.
RUN DJANGO_ENV=development SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var/media && chown -R cchc:cchc /app/var

USER cchc
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "cchc_portal.wsgi:application"]
