package main

import (
	"fmt"
	"net/http"
)

//go:generate go run github.com/breakergen/breakergen/cmd/breakergen -type=Doer -per-method

// Doer is the part of *http.Client that the report fetcher uses.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
	Get(url string) (*http.Response, error)
}

// Checked is a Doer that reports a 5xx response as an error. An
// *http.Client returns an error only when no response arrives at all, so
// without Checked a breaker would count a server answering 503 as healthy.
type Checked struct {
	Client *http.Client
}

// Do sends req and fails on a 5xx status.
func (c Checked) Do(req *http.Request) (*http.Response, error) {
	return checkStatus(c.Client.Do(req))
}

// Get fetches url and fails on a 5xx status.
func (c Checked) Get(url string) (*http.Response, error) {
	return checkStatus(c.Client.Get(url))
}

// StatusError is a response with a 5xx status.
type StatusError struct {
	StatusCode int
	Status     string
}

func (e *StatusError) Error() string { return fmt.Sprintf("server error: %s", e.Status) }

func checkStatus(resp *http.Response, err error) (*http.Response, error) {
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		resp.Body.Close()
		return nil, &StatusError{StatusCode: resp.StatusCode, Status: resp.Status}
	}
	return resp, nil
}
