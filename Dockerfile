# The production image: gunicorn serving the portal; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build-assets.mjs scripts/
COPY assets assets
RUN npm run build

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=portal.settings.prod
# WeasyPrint's libraries (Pango) and gettext for the catalogues. Uploads are recognised by their
# signature and then parsed whole by pypdf or Pillow (osms/core/uploads.py): no libmagic.
RUN apt-get update && apt-get install -y --no-install-recommends \
      gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /build/static/build static/build
RUN django-admin compilemessages --ignore=node_modules \
    && SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -dc A-Za-z0-9) REDIS_URL=redis://build:6379/0 \
       python manage.py collectstatic --no-input -v 0 \
    && useradd --system --uid 10001 portal && mkdir -p /app/var && chown portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--config", "portal/gunicorn.conf.py"]
