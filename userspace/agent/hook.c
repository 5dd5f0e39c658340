// SPDX-License-Identifier: GPL-2.0
/* Install hook runner: fork/exec, a pidfd in the event loop, a kill timer. */
#include <errno.h>
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook.h"
#include "log.h"

struct hook {
	pid_t pid;
	int pidfd;
	unsigned int timeout_s;
	bool timed_out;
	struct event *exit_ev;
	struct event *kill_ev;
	hook_done_cb cb;
	void *arg;
};

static void hook_free(struct hook *h)
{
	if (h->exit_ev)
		event_free(h->exit_ev);
	if (h->kill_ev)
		event_free(h->kill_ev);
	if (h->pidfd >= 0)
		close(h->pidfd);
	free(h);
}

static void on_exit_ev(evutil_socket_t fd, short what, void *arg)
{
	struct hook *h = arg;
	char why[96] = "";
	int status = 0;
	bool ok;

	(void)fd, (void)what;
	if (waitpid(h->pid, &status, 0) < 0)
		snprintf(why, sizeof(why), "waitpid: %s", strerror(errno));
	else if (h->timed_out)
		snprintf(why, sizeof(why), "timed out after %u s",
			 h->timeout_s);
	else if (WIFEXITED(status) && WEXITSTATUS(status))
		snprintf(why, sizeof(why), "exit status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "killed by signal %d",
			 WTERMSIG(status));
	ok = !why[0];
	h->cb(ok, why, h->arg);
	hook_free(h);
}

/*
 * In the child, before exec: nothing of the agent's reaches the hook (its
 * genl socket, a .part file), and the hook never runs at a nice value below
 * 0, even when the unit raised the agent's priority (docs/AGENT.md,
 * "Priority").
 */
static void hook_child_reset(void)
{
	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) < 0 && !errno)
		setpriority(PRIO_PROCESS, 0, 0);
	close_range(3, ~0U, 0);
}

static void on_kill(evutil_socket_t fd, short what, void *arg)
{
	struct hook *h = arg;

	(void)fd, (void)what;
	h->timed_out = true;
	kill(-h->pid, SIGKILL);
}

struct hook *hook_run(struct event_base *base, const struct hook_args *a,
		      hook_done_cb cb, void *arg)
{
	struct timeval tv = { a->timeout_s, 0 };
	struct hook *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->pidfd = -1;
	h->cb = cb;
	h->arg = arg;
	h->timeout_s = a->timeout_s;
	h->pid = fork();
	if (h->pid < 0) {
		aerr("install hook %s: fork: %s", a->path, strerror(errno));
		free(h);
		return NULL;
	}
	if (h->pid == 0) {
		/* Own process group, so the timeout kills what the hook started too. */
		setpgid(0, 0);
		hook_child_reset();
		setenv("RUP_PACKAGE", a->package, 1);
		setenv("RUP_VERSION", a->version, 1);
		setenv("RUP_MANIFEST", a->manifest, 1);
		setenv("RUP_NODE_ID", a->node_hex, 1);
		execl(a->path, a->path, a->package, a->version, (char *)NULL);
		fprintf(stderr, "install hook %s: %s\n", a->path,
			strerror(errno));
		_exit(127);
	}
	setpgid(h->pid, h->pid);
	h->pidfd = (int)syscall(SYS_pidfd_open, h->pid, 0);
	if (h->pidfd < 0) {
		aerr("install hook %s: pidfd_open: %s", a->path,
		     strerror(errno));
		kill(-h->pid, SIGKILL);
		waitpid(h->pid, NULL, 0);
		hook_free(h);
		return NULL;
	}
	h->exit_ev = event_new(base, h->pidfd, EV_READ, on_exit_ev, h);
	h->kill_ev = evtimer_new(base, on_kill, h);
	event_add(h->exit_ev, NULL);
	if (a->timeout_s)
		evtimer_add(h->kill_ev, &tv);
	return h;
}

void hook_cancel(struct hook *h)
{
	if (!h)
		return;
	kill(-h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
	hook_free(h);
}
