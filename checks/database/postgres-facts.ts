// What Synapse requires of its PostgreSQL database, with sources. [SYN] = element-hq/synapse, v1.157.
//
// - synapse/storage/engines/postgres.py `check_database`: server_version_num >= 140000 ("Synapse requires
//   PostgreSQL 14 or above."), SHOW SERVER_ENCODING = UTF8 (not overridable), datcollate and datctype of
//   current_database() exactly 'C' unless `allow_unsafe_locale` is true in the database config (the
//   `database:` section itself: `self.config.get("allow_unsafe_locale")`).
// - synapse/config/database.py: `database` and `databases` are exclusive ("Can't specify both 'database'
//   and 'databases' in config"); `name` defaults to sqlite3.
// - synapse/storage/database.py `make_pool`: args starting with cp_ go to Twisted's adbapi.ConnectionPool
//   (cp_min default 3, cp_max default 5), everything else to psycopg2.connect() and so to libpq, which
//   refuses unknown keywords (`invalid dsn: invalid connection option "allow_unsafe_locale"`, verified
//   with psycopg2 2.9.5).
// - twisted/python/threadpool.py: ThreadPool(min, max) asserts "minimum is greater than maximum".
// - docs/postgres.md: `createdb --encoding=UTF8 --locale=C --template=template0 --owner=synapse_user synapse`.
// - PostgreSQL: max_connections minus superuser_reserved_connections (default 3) minus
//   reserved_connections (16+, default 0) are the slots an ordinary role can use; ROLE and DATABASE
//   CONNECTION LIMITs cap further. Since PostgreSQL 15 PUBLIC has no CREATE on schema public, which is
//   owned by pg_database_owner (the database owner).

export const MIN_POSTGRES_VERSION_NUM = 140000;
export const MIN_POSTGRES_VERSION = '14';

/** A PostgreSQL identifier, quoted when it needs to be. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A word for a shell command line, quoted when it needs to be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A SQL statement as one shell word: in double quotes when it holds nothing the shell expands there. */
export function sqlArg(sql: string): string {
  return /["$`\\!]/.test(sql) ? shellWord(sql) : `"${sql}"`;
}

/** The SQL that creates a database Synapse accepts (never run by matrixdoc). */
export function createDatabaseSql(name: string, owner: string, versionNum?: number): string {
  // From PostgreSQL 15 a cluster can default to ICU; LOCALE_PROVIDER libc makes LC_COLLATE/LC_CTYPE 'C' really apply.
  const provider = versionNum !== undefined && versionNum >= 150000 ? ' LOCALE_PROVIDER libc' : '';
  return `CREATE DATABASE ${quoteIdent(name)} WITH OWNER ${quoteIdent(owner)} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'${provider} TEMPLATE template0;`;
}

/** Steps that move Synapse's data into a correctly created database: dump, create, restore, swap names. */
export function recreateSteps(dbname: string, owner: string, versionNum?: number): string[] {
  const fresh = `${dbname}_c`;
  const old = `${dbname}_old`;
  const dump = `/var/tmp/${dbname.replace(/[^A-Za-z0-9_-]/g, '_')}.dump`;
  const psql = (sql: string) => `sudo -u postgres psql -v ON_ERROR_STOP=1 -c ${sqlArg(sql)}`;
  return [
    'Stop Synapse (and its workers): systemctl stop matrix-synapse',
    `sudo -u postgres pg_dump --format=custom --file=${shellWord(dump)} ${shellWord(dbname)}`,
    psql(createDatabaseSql(fresh, owner, versionNum)),
    `sudo -u postgres pg_restore --no-owner --role=${shellWord(owner)} --dbname=${shellWord(fresh)} ${shellWord(dump)}`,
    psql(`ALTER DATABASE ${quoteIdent(dbname)} RENAME TO ${quoteIdent(old)};`),
    psql(`ALTER DATABASE ${quoteIdent(fresh)} RENAME TO ${quoteIdent(dbname)};`),
    'Start Synapse: systemctl start matrix-synapse; once it works, drop the old copy:',
    psql(`DROP DATABASE ${quoteIdent(old)};`),
  ];
}
