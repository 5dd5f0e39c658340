// SPDX-License-Identifier: GPL-2.0
/* rup-opsd: one thread per offloaded job, its end signalled by an eventfd. */
#include <event2/event.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "offload.h"
#include "opsd.h"

struct job {
	offload_fn *work, *done;
	void *arg;
	int efd;
	struct event *ev;
};

static void *run(void *p)
{
	struct job *j = p;
	uint64_t one = 1;

	j->work(j->arg);
	/* An eventfd counter cannot overflow here: one write per job. */
	if (write(j->efd, &one, sizeof(one)) < 0)
		abort();
	return NULL;
}

static void finished(evutil_socket_t fd, short ev, void *p)
{
	struct job *j = p;

	(void)fd, (void)ev;
	j->done(j->arg);
	event_free(j->ev);
	close(j->efd);
	free(j);
}

int offload(struct opsd *o, offload_fn *work, offload_fn *done, void *arg)
{
	struct job *j = calloc(1, sizeof(*j));
	pthread_attr_t attr;
	pthread_t t;
	int rc = -1;

	if (!j)
		return -1;
	*j = (struct job){ work, done, arg, -1, NULL };
	j->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (j->efd >= 0)
		j->ev = event_new(o->base, j->efd, EV_READ, finished, j);
	if (!j->ev || event_add(j->ev, NULL) || pthread_attr_init(&attr))
		goto fail;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, run, j);
	pthread_attr_destroy(&attr);
	if (!rc)
		return 0;
fail:
	if (j->ev)
		event_free(j->ev);
	if (j->efd >= 0)
		close(j->efd);
	free(j);
	return -1;
}
