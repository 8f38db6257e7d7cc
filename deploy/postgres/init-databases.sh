#!/usr/bin/env bash
# Runs once, when the PostgreSQL data volume is empty (docker-entrypoint-initdb.d).
# Creates one login role and one database per service; each role owns its database only.
# The passwords come from REGISTRY_DB_PASSWORD, EVALUATION_DB_PASSWORD, METRICS_DB_PASSWORD
# and NOTIFIER_DB_PASSWORD.
set -eo pipefail

for service in registry evaluation metrics notifier; do
  var="${service^^}_DB_PASSWORD"
  password="${!var:?$var is not set}"
  psql --username "$POSTGRES_USER" --dbname postgres -v ON_ERROR_STOP=1 \
    -v name="$service" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
  echo "created role and database $service"
done
