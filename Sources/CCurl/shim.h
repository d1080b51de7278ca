// Typed wrappers around libcurl's variadic setters, which Swift cannot call directly.
#ifndef TEND_CCURL_SHIM_H
#define TEND_CCURL_SHIM_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>

/// A body or header callback: (bytes, size, count, user data) -> bytes taken.
typedef size_t (*tend_curl_data_callback)(char *, size_t, size_t, void *);
/// A progress callback: (user data, dltotal, dlnow, ultotal, ulnow) -> non-zero aborts.
typedef int (*tend_curl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

static inline CURLcode tend_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tend_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tend_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tend_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tend_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

static inline CURLcode tend_curl_setopt_write_callback(CURL *handle, tend_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode tend_curl_setopt_header_callback(CURL *handle, tend_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode tend_curl_setopt_xferinfo_callback(CURL *handle, tend_curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode tend_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// A share handle plus the locks that make it safe across threads: one mutex per curl_lock_data kind.
typedef struct {
    CURLSH *share;
    pthread_mutex_t mutexes[CURL_LOCK_DATA_LAST];
} tend_curl_share;

static inline void tend_curl_share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *user) {
    (void)handle; (void)access;
    tend_curl_share *shared = (tend_curl_share *)user;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST) pthread_mutex_lock(&shared->mutexes[data]);
}

static inline void tend_curl_share_unlock(CURL *handle, curl_lock_data data, void *user) {
    (void)handle;
    tend_curl_share *shared = (tend_curl_share *)user;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST) pthread_mutex_unlock(&shared->mutexes[data]);
}

/// A share whose connection pool and DNS cache every easy handle, on any thread, can use.
/// Returns NULL on failure; free with tend_curl_share_free once no easy handle uses it.
static inline tend_curl_share *tend_curl_share_new(void) {
    tend_curl_share *shared = (tend_curl_share *)calloc(1, sizeof(tend_curl_share));
    if (shared == NULL) return NULL;
    shared->share = curl_share_init();
    if (shared->share == NULL) { free(shared); return NULL; }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&shared->mutexes[i], NULL);
    curl_share_setopt(shared->share, CURLSHOPT_USERDATA, (void *)shared);
    curl_share_setopt(shared->share, CURLSHOPT_LOCKFUNC, tend_curl_share_lock);
    curl_share_setopt(shared->share, CURLSHOPT_UNLOCKFUNC, tend_curl_share_unlock);
    curl_share_setopt(shared->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(shared->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    return shared;
}

/// Frees a share made by tend_curl_share_new.
static inline void tend_curl_share_free(tend_curl_share *shared) {
    if (shared == NULL) return;
    curl_share_cleanup(shared->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&shared->mutexes[i]);
    free(shared);
}

static inline CURLcode tend_curl_setopt_share(CURL *handle, tend_curl_share *shared) {
    return curl_easy_setopt(handle, CURLOPT_SHARE, shared->share);
}

#endif
