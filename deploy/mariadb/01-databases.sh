# Sourced (not executed) by the MariaDB image's entrypoint on the first start with an empty
# data folder: one database and one user per service, each user limited to its own database.
# docker_process_sql is the entrypoint's helper that talks to the temporary init server.
set -eu

for pair in \
  "dashboard:${DASHBOARD_DB_PASSWORD:?}" \
  "hydra:${HYDRA_DB_PASSWORD:?}" \
  "kratos:${KRATOS_DB_PASSWORD:?}"; do
  name="${pair%%:*}"
  password="${pair#*:}"
  docker_process_sql --database=mysql <<SQL
CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${name}'@'%' IDENTIFIED BY '${password}';
GRANT ALL PRIVILEGES ON \`${name}\`.* TO '${name}'@'%';
SQL
done
