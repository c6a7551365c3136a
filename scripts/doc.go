// Package scripts holds the tests of the shell scripts beside them
// (setup-system.sh); the scripts themselves are run by the Makefile.
package scripts
