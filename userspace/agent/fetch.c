// SPDX-License-Identifier: GPL-2.0
/* libcurl multi + libevent glue ("hiper" pattern) and bounded body sinks. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "log.h"

#define MEM_MAX_DEFAULT (1024 * 1024)

struct fetch {
	CURL *easy;
	struct curl_slist *hdrs;
	fetch_done_cb cb;
	void *arg;
	FILE *out;
	uint64_t offset; /* bytes in the file before this transfer */
	uint64_t max_bytes;
	size_t mem_max;
	bool checked_code;
	bool to_mem;
	struct fetch_result r;
	struct fetch *next_done;
};

static struct {
	struct event_base *base;
	CURLM *multi;
	struct event *timer;
} g;

struct sockev {
	struct event *ev;
};

static void check_done(void)
{
	struct fetch *done = NULL, *f;
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(g.multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
				  (char **)&f);
		f->r.curl_code = m->data.result;
		curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE,
				  &f->r.http_code);
		if (f->r.curl_code && !f->r.error[0])
			snprintf(f->r.error, sizeof(f->r.error), "%s",
				 curl_easy_strerror(m->data.result));
		curl_multi_remove_handle(g.multi, f->easy);
		f->next_done = done;
		done = f;
	}
	/* Callbacks run after the multi handle is consistent: they may start transfers. */
	while (done) {
		f = done;
		done = f->next_done;
		if (f->out) {
			fflush(f->out);
			f->r.file_bytes = (uint64_t)ftello(f->out);
			fclose(f->out);
			f->out = NULL;
		}
		f->cb(f, f->arg);
	}
}

static void on_sock(evutil_socket_t fd, short what, void *arg)
{
	int flags = 0, running;

	(void)arg;
	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(g.multi, fd, flags, &running);
	check_done();
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	int running;

	(void)fd, (void)what, (void)arg;
	curl_multi_socket_action(g.multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done();
}

static int sock_cb(CURL *e, curl_socket_t s, int what, void *cbp, void *sockp)
{
	struct sockev *se = sockp;
	short kind = EV_PERSIST;

	(void)e, (void)cbp;
	if (what == CURL_POLL_REMOVE) {
		if (se) {
			event_free(se->ev);
			free(se);
			curl_multi_assign(g.multi, s, NULL);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (!se) {
		se = calloc(1, sizeof(*se));
		if (!se)
			return -1;
		curl_multi_assign(g.multi, s, se);
	} else {
		event_free(se->ev);
	}
	se->ev = event_new(g.base, s, kind, on_sock, NULL);
	event_add(se->ev, NULL);
	return 0;
}

static int timer_cb(CURLM *m, long ms, void *p)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	(void)m, (void)p;
	if (ms < 0)
		evtimer_del(g.timer);
	else
		evtimer_add(g.timer, &tv);
	return 0;
}

int fetch_global_init(struct event_base *base)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return -1;
	g.base = base;
	g.multi = curl_multi_init();
	g.timer = evtimer_new(base, on_timer, NULL);
	if (!g.multi || !g.timer)
		return -1;
	curl_multi_setopt(g.multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(g.multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	return 0;
}

void fetch_global_exit(void)
{
	if (g.timer)
		event_free(g.timer);
	if (g.multi)
		curl_multi_cleanup(g.multi);
	curl_global_cleanup();
	memset(&g, 0, sizeof(g));
}

static size_t mem_sink(struct fetch *f, const char *p, size_t n)
{
	char *b;

	if (f->r.body_len + n > f->mem_max) {
		f->r.too_big = true;
		snprintf(f->r.error, sizeof(f->r.error),
			 "response larger than %zu bytes", f->mem_max);
		return 0;
	}
	b = realloc(f->r.body, f->r.body_len + n + 1);
	if (!b)
		return 0;
	memcpy(b + f->r.body_len, p, n);
	f->r.body = b;
	f->r.body_len += n;
	b[f->r.body_len] = '\0';
	return n;
}

static size_t write_cb(char *p, size_t sz, size_t nm, void *arg)
{
	struct fetch *f = arg;
	size_t n = sz * nm;
	long code = 0;

	if (!f->out)
		return mem_sink(f, p, n);
	if (!f->checked_code) {
		f->checked_code = true;
		curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 300)
			f->to_mem =
				true; /* an error body is not package data */
		else if (code == 200 && f->offset) {
			/* The server ignored Range: start the file over. */
			if (ftruncate(fileno(f->out), 0) ||
			    fseeko(f->out, 0, SEEK_SET))
				return 0;
			f->offset = 0;
		}
	}
	if (f->to_mem)
		return mem_sink(f, p, n);
	if ((uint64_t)ftello(f->out) + n > f->max_bytes) {
		f->r.too_big = true;
		snprintf(f->r.error, sizeof(f->r.error),
			 "package larger than the signed size (%llu bytes)",
			 (unsigned long long)f->max_bytes);
		return 0;
	}
	return fwrite(p, 1, n, f->out);
}

static int64_t parse_int_header(const char *v)
{
	char *end;
	long long x = strtoll(v, &end, 10);

	return end != v && x >= 0 ? x : -1;
}

static size_t header_cb(char *p, size_t sz, size_t nm, void *arg)
{
	struct fetch *f = arg;
	size_t n = sz * nm;
	char line[256];

	if (n >= sizeof(line))
		return n;
	memcpy(line, p, n);
	line[n] = '\0';
	if (!strncasecmp(line, "Retry-After:", 12))
		f->r.retry_after_s = parse_int_header(line + 12);
	else if (!strncasecmp(line, "Date:", 5))
		f->r.date_s = curl_getdate(line + 5, NULL);
	return n;
}

#define OUT_FLAGS (O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW)

/* The download's file, appended to when resuming (or started over). */
static int open_output(struct fetch *f, const struct fetch_opts *o)
{
	struct stat st;
	int fd;

	if (!o->resume)
		unlink(o->out_path);
	/* Not through a link planted in the store; ours alone; never inherited. */
	fd = open(o->out_path, OUT_FLAGS, 0600);
	if (fd < 0 && errno == ELOOP) {
		awarn("download %s: %s is a symbolic link: removed", o->url,
		      o->out_path);
		unlink(o->out_path);
		fd = open(o->out_path, OUT_FLAGS | O_EXCL, 0600);
	}
	f->out = fd < 0 ? NULL : fdopen(fd, "ab");
	if (!f->out) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		errno = e;
		aerr("download %s: cannot open %s: %s", o->url, o->out_path,
		     strerror(errno));
		return -1;
	}
	if (fstat(fileno(f->out), &st) == 0)
		f->offset = (uint64_t)st.st_size;
	if (f->offset > f->max_bytes) {
		/* Longer than it may ever be: start over. */
		if (ftruncate(fileno(f->out), 0))
			return -1;
		f->offset = 0;
	}
	if (f->offset)
		curl_easy_setopt(f->easy, CURLOPT_RESUME_FROM_LARGE,
				 (curl_off_t)f->offset);
	return 0;
}

struct fetch *fetch_start(const struct fetch_opts *o, fetch_done_cb cb,
			  void *arg)
{
	struct fetch *f = calloc(1, sizeof(*f));
	char hdr[512];

	if (!f)
		return NULL;
	f->cb = cb;
	f->arg = arg;
	f->r.retry_after_s = -1;
	f->r.date_s = -1;
	f->mem_max = o->mem_max ? o->mem_max : MEM_MAX_DEFAULT;
	f->max_bytes = o->max_bytes;
	f->easy = curl_easy_init();
	if (!f->easy)
		goto fail;
	if (o->out_path && open_output(f, o))
		goto fail;
	curl_easy_setopt(f->easy, CURLOPT_URL, o->url);
	curl_easy_setopt(f->easy, CURLOPT_PRIVATE, f);
	curl_easy_setopt(f->easy, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(f->easy, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(f->easy, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(f->easy, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(f->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(f->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(f->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(f->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca && o->ca[0])
		curl_easy_setopt(f->easy, CURLOPT_CAINFO, o->ca);
	curl_easy_setopt(f->easy, CURLOPT_CONNECTTIMEOUT,
			 o->connect_timeout_s ?: 10L);
	if (o->timeout_s)
		curl_easy_setopt(f->easy, CURLOPT_TIMEOUT, o->timeout_s);
	if (o->low_speed_s) {
		curl_easy_setopt(f->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(f->easy, CURLOPT_LOW_SPEED_TIME,
				 o->low_speed_s);
	}
	if (o->bearer) {
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s",
			 o->bearer);
		f->hdrs = curl_slist_append(f->hdrs, hdr);
	}
	if (o->node_hex) {
		snprintf(hdr, sizeof(hdr), "X-Rup-Node: %s", o->node_hex);
		f->hdrs = curl_slist_append(f->hdrs, hdr);
	}
	if (o->post_json) {
		f->hdrs = curl_slist_append(f->hdrs,
					    "Content-Type: application/json");
		curl_easy_setopt(f->easy, CURLOPT_COPYPOSTFIELDS, o->post_json);
	}
	f->hdrs = curl_slist_append(f->hdrs, "Expect:");
	curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, f->hdrs);
	if (curl_multi_add_handle(g.multi, f->easy) != CURLM_OK)
		goto fail;
	return f;
fail:
	fetch_free(f);
	return NULL;
}

const struct fetch_result *fetch_result(const struct fetch *f)
{
	return &f->r;
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	/* Both curl calls do nothing with NULL. */
	curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->hdrs);
	if (f->out)
		fclose(f->out);
	free(f->r.body);
	free(f);
}

void fetch_cancel(struct fetch *f)
{
	if (!f)
		return;
	curl_multi_remove_handle(g.multi, f->easy);
	fetch_free(f);
}
