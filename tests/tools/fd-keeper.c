// SPDX-License-Identifier: GPL-2.0
/*
 * fd-keeper PID: take a copy of every open descriptor of process PID
 * (pidfd_getfd(2), needs ptrace rights over it) and hold them until
 * killed: what a daemon left behind by an install hook that inherited the
 * agent's descriptors would hold. Prints "holding N" once done. For guest
 * test 30: the kernel must not keep a dead agent's role because someone
 * still holds its netlink socket (docs/PROTOCOL.md, "Role lease").
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[64];
	struct dirent *e;
	int pidfd, n = 0;
	DIR *d;

	if (argc != 2) {
		fprintf(stderr, "usage: fd-keeper PID\n");
		return 2;
	}
	pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	snprintf(path, sizeof(path), "/proc/%s/fd", argv[1]);
	d = opendir(path);
	if (pidfd < 0 || !d) {
		perror("fd-keeper");
		return 1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' &&
		    syscall(SYS_pidfd_getfd, pidfd, atoi(e->d_name), 0) >= 0)
			n++;
	closedir(d);
	printf("holding %d\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
