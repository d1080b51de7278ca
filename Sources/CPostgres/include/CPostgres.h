// libpq, opened on first use: only a run with a postgres:// state loads it and the libraries it needs (TLS, LDAP,
// Kerberos…), which would cost every other process time and memory at start.
#ifndef TEND_CPOSTGRES_H
#define TEND_CPOSTGRES_H

#include <postgresql/libpq-fe.h>

/// Opens libpq, once per process. NULL when libpq is ready, else why it is not.
const char *tend_pq_load(void);

/// libpq's functions of the same names (PQconnectdbParams…); before a successful tend_pq_load they do nothing and
/// return NULL, 0 or a bad status.
PGconn *tend_pq_connectdbParams(const char *const *keywords, const char *const *values, int expand_dbname);
ConnStatusType tend_pq_status(const PGconn *conn);
char *tend_pq_errorMessage(const PGconn *conn);
void tend_pq_finish(PGconn *conn);
PGresult *tend_pq_execParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                             const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                             int resultFormat);
ExecStatusType tend_pq_resultStatus(const PGresult *res);
char *tend_pq_resultErrorField(const PGresult *res, int fieldcode);
void tend_pq_clear(PGresult *res);
int tend_pq_ntuples(const PGresult *res);
char *tend_pq_cmdTuples(PGresult *res);
int tend_pq_getisnull(const PGresult *res, int tup_num, int field_num);
char *tend_pq_getvalue(const PGresult *res, int tup_num, int field_num);
int tend_pq_getlength(const PGresult *res, int tup_num, int field_num);

#endif
