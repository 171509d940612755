#!/usr/bin/env bash
# Run once by the postgres image when it creates the cluster (/docker-entrypoint-initdb.d): lets the
# backup service take base backups (a replication connection) with the same password. For a cluster
# created before this file existed, append the same line by hand and reload (docs/operations.md).
set -euo pipefail
echo "host replication ${POSTGRES_USER:-postgres} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
