#include "CPostgres.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

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

/// Looks up `name` into `*slot`; false (with `failure` set) when libpq lacks it.
static int find(void *library, const char *name, void **slot) {
    *slot = dlsym(library, name);
    if (*slot == NULL) snprintf(failure, sizeof failure, "libpq (libpq.so.5) has no %s", name);
    return *slot != NULL;
}

static void load(void) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(failure, sizeof failure, "cannot load libpq (libpq.so.5): %s; install PostgreSQL's client library",
                 reason ? reason : "not found");
        pq.error = failure;
        return;
    }
    int found = find(library, "PQconnectdbParams", (void **)&pq.connectdbParams)
        && find(library, "PQstatus", (void **)&pq.status)
        && find(library, "PQerrorMessage", (void **)&pq.errorMessage)
        && find(library, "PQfinish", (void **)&pq.finish)
        && find(library, "PQexecParams", (void **)&pq.execParams)
        && find(library, "PQresultStatus", (void **)&pq.resultStatus)
        && find(library, "PQresultErrorField", (void **)&pq.resultErrorField)
        && find(library, "PQclear", (void **)&pq.clear)
        && find(library, "PQntuples", (void **)&pq.ntuples)
        && find(library, "PQcmdTuples", (void **)&pq.cmdTuples)
        && find(library, "PQgetisnull", (void **)&pq.getisnull)
        && find(library, "PQgetvalue", (void **)&pq.getvalue)
        && find(library, "PQgetlength", (void **)&pq.getlength);
    if (!found) {
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
