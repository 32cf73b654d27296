// Package ghworkflows holds the tests that check the GitHub Actions workflows in .github/workflows.
//
// GitHub runs those workflows, and nothing here can; so `make unit` parses them and checks the parts that
// break a release when wrong: required keys, actions pinned by commit SHA, the Terraform version matrix, and
// the release job's GPG import and goreleaser steps.
package ghworkflows
