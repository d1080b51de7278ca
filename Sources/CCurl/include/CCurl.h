// libcurl, opened on first use: a run that sends no HTTP request (a plan of local files, `tend show`) does not load
// libcurl and the 30-odd libraries it needs (TLS, LDAP, Kerberos, SSH…), which cost every process about 4 ms of CPU
// and 5 MiB at start. Typed wrappers around libcurl's variadic setters, which Swift cannot call directly.
#ifndef TEND_CCURL_H
#define TEND_CCURL_H

#include <curl/curl.h>
#include <pthread.h>

/// A body or header callback: (bytes, size, count, user data) -> bytes taken.
typedef size_t (*tend_curl_data_callback)(char *, size_t, size_t, void *);
/// A progress callback: (user data, dltotal, dlnow, ultotal, ulnow) -> non-zero aborts.
typedef int (*tend_curl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

/// Opens libcurl and runs curl_global_init, once per process. NULL when libcurl is ready, else why it is not.
const char *tend_curl_load(void);

/// libcurl's functions of the same names (curl_easy_init…); before a successful tend_curl_load they do nothing and
/// return NULL or an error.
CURL *tend_curl_easy_init(void);
void tend_curl_easy_cleanup(CURL *handle);
void tend_curl_easy_reset(CURL *handle);
CURLcode tend_curl_easy_perform(CURL *handle);
const char *tend_curl_easy_strerror(CURLcode code);
struct curl_slist *tend_curl_slist_append(struct curl_slist *list, const char *line);
void tend_curl_slist_free_all(struct curl_slist *list);

CURLcode tend_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode tend_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode tend_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode tend_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode tend_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list);
CURLcode tend_curl_setopt_write_callback(CURL *handle, tend_curl_data_callback callback);
CURLcode tend_curl_setopt_header_callback(CURL *handle, tend_curl_data_callback callback);
CURLcode tend_curl_setopt_xferinfo_callback(CURL *handle, tend_curl_xferinfo_callback callback);
CURLcode tend_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// A share handle plus the locks that make it safe across threads: one mutex per curl_lock_data kind.
typedef struct {
    CURLSH *share;
    pthread_mutex_t mutexes[CURL_LOCK_DATA_LAST];
} tend_curl_share;

/// A share whose connection pool and DNS cache every easy handle, on any thread, can use.
/// Returns NULL on failure (libcurl not loaded included); free with tend_curl_share_free once no easy handle uses it.
tend_curl_share *tend_curl_share_new(void);
/// Frees a share made by tend_curl_share_new.
void tend_curl_share_free(tend_curl_share *shared);
CURLcode tend_curl_setopt_share(CURL *handle, tend_curl_share *shared);

#endif
