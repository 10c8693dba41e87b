"""A throwaway OpenLDAP `slapd` on loopback for the LDAP proxy-authentication test (Debian's slapd binary)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from support.proxies import free_port, wait_port

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
SUFFIX = "dc=agency,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
PEOPLE = f"ou=people,{SUFFIX}"


def available() -> bool:
    return Path(SLAPD).exists() and Path(SLAPADD).exists() and Path("/etc/ldap/schema/core.schema").exists()


class Slapd:
    def __init__(self, workdir: Path, admin_password: str, users: dict[str, str]):
        self.workdir = workdir
        self.port = free_port()
        self.admin_password = admin_password
        db = workdir / "db"
        db.mkdir(parents=True)
        conf = workdir / "slapd.conf"
        conf.write_text("\n".join([
            "include /etc/ldap/schema/core.schema",
            "include /etc/ldap/schema/cosine.schema",
            "include /etc/ldap/schema/inetorgperson.schema",
            f"pidfile {workdir / 'slapd.pid'}",
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "database mdb",
            f'suffix "{SUFFIX}"',
            f'rootdn "{ADMIN_DN}"',
            f"rootpw {admin_password}",
            f"directory {db}",
            "access to attrs=userPassword by anonymous auth by * none",
            "access to * by * read",
            "",
        ]))
        entries = [f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: agency\no: Agency\n",
                   f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n"]
        for uid, password in users.items():
            entries.append(f"dn: uid={uid},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid}\n"
                           f"sn: {uid}\nuserPassword: {password}\n")
        ldif = workdir / "data.ldif"
        ldif.write_text("\n".join(entries))
        subprocess.run([SLAPADD, "-f", str(conf), "-l", str(ldif)], check=True, capture_output=True)
        self.proc = subprocess.Popen([SLAPD, "-f", str(conf), "-h", f"ldap://127.0.0.1:{self.port}/", "-d", "0"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_port(self.port, self.proc)

    def proxyauth_spec(self) -> str:
        """mitmproxy's `proxyauth` value: ldap:host:port:bind_dn:bind_password:subtree?search_filter_key=uid"""
        return f"ldap:127.0.0.1:{self.port}:{ADMIN_DN}:{self.admin_password}:{PEOPLE}?search_filter_key=uid"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
