package testenv

import "syscall"

// procAttr puts a server in its own process group and has the kernel kill
// it when the test process dies, even by a panic or a -timeout, which skip
// every cleanup: a killed test run must not leave servers running.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
