package main

import (
	"context"
	"errors"
)

// Not implemented yet: each reports an error in the table instead of a figure.
var errTodo = errors.New("not implemented yet")

func benchChat(ctx context.Context, e *env) ([]Result, error)       { return nil, errTodo }
func benchThroughput(ctx context.Context, e *env) ([]Result, error) { return nil, errTodo }
func benchLoad(ctx context.Context, e *env) ([]Result, error)       { return nil, errTodo }
