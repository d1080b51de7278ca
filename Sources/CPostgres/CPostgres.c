#include "CPostgres.h"

#include <CLibraryLoader.h>
#include <pthread.h>

/// libpq's entry points, found once by tend_pq_load.
static struct {
    int ready;
    const char *error;
    PGconn *(*connectdbParams)(const char *const *, const char *const *, int);
    ConnStatusType (*status)(const PGconn *);
    char *(*errorMessage)(const PGconn *);
    void (*finish)(PGconn *);
    PGresult *(*execParams)(PGconn *, const char *, int, const Oid *, const char *const *, const int *, const int *, int);
    ExecStatusType (*resultStatus)(const PGresult *);
    char *(*resultErrorField)(const PGresult *, int);
    void (*clear)(PGresult *);
    int (*ntuples)(const PGresult *);
    char *(*cmdTuples)(PGresult *);
    int (*getisnull)(const PGresult *, int, int);
    char *(*getvalue)(const PGresult *, int, int);
    int (*getlength)(const PGresult *, int, int);
} pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void load(void) {
    const tend_library_symbol symbols[] = {
        {"PQconnectdbParams", (void **)&pq.connectdbParams},
        {"PQstatus", (void **)&pq.status},
        {"PQerrorMessage", (void **)&pq.errorMessage},
        {"PQfinish", (void **)&pq.finish},
        {"PQexecParams", (void **)&pq.execParams},
        {"PQresultStatus", (void **)&pq.resultStatus},
        {"PQresultErrorField", (void **)&pq.resultErrorField},
        {"PQclear", (void **)&pq.clear},
        {"PQntuples", (void **)&pq.ntuples},
        {"PQcmdTuples", (void **)&pq.cmdTuples},
        {"PQgetisnull", (void **)&pq.getisnull},
        {"PQgetvalue", (void **)&pq.getvalue},
        {"PQgetlength", (void **)&pq.getlength},
    };
    if (!tend_library_load("libpq.so.5", symbols, sizeof symbols / sizeof symbols[0], "PostgreSQL's client library",
                           failure, sizeof failure)) {
        pq.error = failure;
        return;
    }
    pq.ready = 1;
}

const char *tend_pq_load(void) {
    pthread_once(&once, load);
    return pq.ready ? NULL : pq.error;
}

PGconn *tend_pq_connectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    return tend_pq_load() ? NULL : pq.connectdbParams(keywords, values, expand_dbname);
}
ConnStatusType tend_pq_status(const PGconn *conn) { return pq.ready ? pq.status(conn) : CONNECTION_BAD; }
char *tend_pq_errorMessage(const PGconn *conn) { return pq.ready ? pq.errorMessage(conn) : NULL; }
void tend_pq_finish(PGconn *conn) {
    if (pq.ready) pq.finish(conn);
}
PGresult *tend_pq_execParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                             const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                             int resultFormat) {
    return pq.ready ? pq.execParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat)
                    : NULL;
}
ExecStatusType tend_pq_resultStatus(const PGresult *res) { return pq.ready ? pq.resultStatus(res) : PGRES_FATAL_ERROR; }
char *tend_pq_resultErrorField(const PGresult *res, int fieldcode) { return pq.ready ? pq.resultErrorField(res, fieldcode) : NULL; }
void tend_pq_clear(PGresult *res) {
    if (pq.ready) pq.clear(res);
}
int tend_pq_ntuples(const PGresult *res) { return pq.ready ? pq.ntuples(res) : 0; }
char *tend_pq_cmdTuples(PGresult *res) { return pq.ready ? pq.cmdTuples(res) : NULL; }
int tend_pq_getisnull(const PGresult *res, int tup_num, int field_num) { return pq.ready ? pq.getisnull(res, tup_num, field_num) : 1; }
char *tend_pq_getvalue(const PGresult *res, int tup_num, int field_num) { return pq.ready ? pq.getvalue(res, tup_num, field_num) : NULL; }
int tend_pq_getlength(const PGresult *res, int tup_num, int field_num) { return pq.ready ? pq.getlength(res, tup_num, field_num) : 0; }
