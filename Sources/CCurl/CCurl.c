#include "CCurl.h"

#include <CLibraryLoader.h>
#include <stdlib.h>

/// libcurl's entry points, found once by tend_curl_load.
static struct {
    int ready;
    const char *error;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLSH *(*share_init)(void);
    CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
    CURLSHcode (*share_cleanup)(CURLSH *);
} curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void load(void) {
    const tend_library_symbol symbols[] = {
        {"curl_global_init", (void **)&curl.global_init},
        {"curl_easy_init", (void **)&curl.easy_init},
        {"curl_easy_cleanup", (void **)&curl.easy_cleanup},
        {"curl_easy_reset", (void **)&curl.easy_reset},
        {"curl_easy_perform", (void **)&curl.easy_perform},
        {"curl_easy_setopt", (void **)&curl.easy_setopt},
        {"curl_easy_getinfo", (void **)&curl.easy_getinfo},
        {"curl_easy_strerror", (void **)&curl.easy_strerror},
        {"curl_slist_append", (void **)&curl.slist_append},
        {"curl_slist_free_all", (void **)&curl.slist_free_all},
        {"curl_share_init", (void **)&curl.share_init},
        {"curl_share_setopt", (void **)&curl.share_setopt},
        {"curl_share_cleanup", (void **)&curl.share_cleanup},
    };
    if (!tend_library_load("libcurl.so.4", symbols, sizeof symbols / sizeof symbols[0], "libcurl 7.x or 8.x",
                           failure, sizeof failure)) {
        curl.error = failure;
        return;
    }
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        curl.error = "curl_global_init failed";
        return;
    }
    curl.ready = 1;
}

const char *tend_curl_load(void) {
    pthread_once(&once, load);
    return curl.ready ? NULL : curl.error;
}

CURL *tend_curl_easy_init(void) { return tend_curl_load() ? NULL : curl.easy_init(); }

void tend_curl_easy_cleanup(CURL *handle) {
    if (curl.ready && handle != NULL) curl.easy_cleanup(handle);
}

void tend_curl_easy_reset(CURL *handle) {
    if (curl.ready) curl.easy_reset(handle);
}

CURLcode tend_curl_easy_perform(CURL *handle) { return curl.ready ? curl.easy_perform(handle) : CURLE_FAILED_INIT; }

const char *tend_curl_easy_strerror(CURLcode code) {
    return curl.ready ? curl.easy_strerror(code) : (curl.error ? curl.error : "libcurl is not loaded");
}

struct curl_slist *tend_curl_slist_append(struct curl_slist *list, const char *line) {
    return curl.ready ? curl.slist_append(list, line) : NULL;
}

void tend_curl_slist_free_all(struct curl_slist *list) {
    if (curl.ready) curl.slist_free_all(list);
}

#define TEND_SETOPT(handle, option, value) (curl.ready ? curl.easy_setopt((handle), (option), (value)) : CURLE_FAILED_INIT)

CURLcode tend_curl_setopt_long(CURL *handle, CURLoption option, long value) { return TEND_SETOPT(handle, option, value); }
CURLcode tend_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) { return TEND_SETOPT(handle, option, value); }
CURLcode tend_curl_setopt_string(CURL *handle, CURLoption option, const char *value) { return TEND_SETOPT(handle, option, value); }
CURLcode tend_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) { return TEND_SETOPT(handle, option, value); }
CURLcode tend_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) { return TEND_SETOPT(handle, option, list); }
CURLcode tend_curl_setopt_write_callback(CURL *handle, tend_curl_data_callback callback) {
    return TEND_SETOPT(handle, CURLOPT_WRITEFUNCTION, callback);
}
CURLcode tend_curl_setopt_header_callback(CURL *handle, tend_curl_data_callback callback) {
    return TEND_SETOPT(handle, CURLOPT_HEADERFUNCTION, callback);
}
CURLcode tend_curl_setopt_xferinfo_callback(CURL *handle, tend_curl_xferinfo_callback callback) {
    return TEND_SETOPT(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
CURLcode tend_curl_setopt_share(CURL *handle, tend_curl_share *shared) { return TEND_SETOPT(handle, CURLOPT_SHARE, shared->share); }

CURLcode tend_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.ready ? curl.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *user) {
    (void)handle; (void)access;
    tend_curl_share *shared = (tend_curl_share *)user;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST) pthread_mutex_lock(&shared->mutexes[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *user) {
    (void)handle;
    tend_curl_share *shared = (tend_curl_share *)user;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST) pthread_mutex_unlock(&shared->mutexes[data]);
}

tend_curl_share *tend_curl_share_new(void) {
    if (tend_curl_load() != NULL) return NULL;
    tend_curl_share *shared = (tend_curl_share *)calloc(1, sizeof(tend_curl_share));
    if (shared == NULL) return NULL;
    shared->share = curl.share_init();
    if (shared->share == NULL) { free(shared); return NULL; }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&shared->mutexes[i], NULL);
    curl.share_setopt(shared->share, CURLSHOPT_USERDATA, (void *)shared);
    curl.share_setopt(shared->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl.share_setopt(shared->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl.share_setopt(shared->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl.share_setopt(shared->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    return shared;
}

void tend_curl_share_free(tend_curl_share *shared) {
    if (shared == NULL) return;
    curl.share_cleanup(shared->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&shared->mutexes[i]);
    free(shared);
}
