// SPDX-License-Identifier: GPL-2.0
/* Bounded whole-file reads and atomic whole-file writes. */
#include "release.h"
#include "release_err.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int release_read_file(const char *path, size_t max, char **buf, size_t *len,
		      char *err, size_t errlen)
{
	struct stat st;
	size_t got = 0;
	char *p;
	int fd;

	/* O_NONBLOCK: a FIFO in place of the file must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return rel_err(err, errlen, -errno, "%s: %s", path,
			       strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return rel_err(err, errlen, -EINVAL, "%s: not a regular file",
			       path);
	}
	p = malloc(max + 2);
	if (!p) {
		close(fd);
		return rel_err(err, errlen, -ENOMEM, "%s: out of memory", path);
	}
	/* Read up to max + 1 bytes: one more than allowed proves "too big". */
	while (got <= max) {
		ssize_t n = read(fd, p + got, max + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(p);
			return rel_err(err, errlen, -e, "%s: %s", path,
				       strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got > max) {
		free(p);
		return rel_err(err, errlen, -E2BIG, "%s: larger than %zu bytes",
			       path, max);
	}
	p[got] = '\0';
	*buf = p;
	*len = got;
	return 0;
}

int release_write_file(const char *path, const void *buf, size_t len,
		       unsigned int mode, char *err, size_t errlen)
{
	char tmp[4096], dir[4096];
	const char *p = buf;
	size_t done = 0;
	int fd, dfd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return rel_err(err, errlen, -ENAMETOOLONG, "%s: path too long",
			       path);
	/* A fresh, exclusive temporary name: never follows a planted link. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return rel_err(err, errlen, -errno, "%s: %s", tmp,
			       strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		done += (size_t)n;
	}
	if (fchmod(fd, mode) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail;
	/* Make the rename itself durable. */
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rel_err(err, errlen, -e, "%s: %s", path, strerror(e));
}
