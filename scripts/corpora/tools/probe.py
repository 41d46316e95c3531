#!/usr/bin/python3
"""Tiny packet probes for the corpus scripts (run inside a peer namespace).

  probe.py listen PORT LOGFILE       accept TCP connections forever, log "from <ip>:<port>"
  probe.py tcp DST PORT [SRCADDR]    one TCP connect (2 s timeout); prints the outcome:
        connected | refused (RST / ICMP port-unreachable) |
        unreachable (ICMP host/admin-prohibited) | timeout (silently dropped)
"""
import errno
import socket
import sys


def listen(port, log):
    for fam, addr in ((socket.AF_INET6, "::"),):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind((addr, port))
        s.listen(16)
    while True:
        c, a = s.accept()
        with open(log, "a") as f:
            f.write("from %s:%d\n" % (a[0].replace("::ffff:", ""), a[1]))
        c.close()


def tcp(dst, port, src=None):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(2)
    if src:
        s.bind((src, 0))
    try:
        s.connect((dst, port))
        print("connected")
    except socket.timeout:
        print("timeout")
    except ConnectionRefusedError:
        print("refused")
    except OSError as e:
        if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES):
            print("unreachable")
        else:
            print("error " + errno.errorcode.get(e.errno, str(e.errno)))


if __name__ == "__main__":
    if sys.argv[1] == "listen":
        listen(int(sys.argv[2]), sys.argv[3])
    else:
        tcp(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
