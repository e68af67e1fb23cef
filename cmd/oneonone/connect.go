package main

import (
	"context"
	"fmt"
	"os"

	"github.com/oneonone/oneonone/calendars/google"
)

// runConnect runs the command-line OAuth flow: it prints the consent URL,
// reads the code the browser shows, and stores the grant encrypted.
func runConnect(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "connect", "google [--config FILE]")
	cfgFile := configFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "google" {
		return usageError{"say what to connect: oneonone connect google"}
	}
	a, err := openApp(ctx, e, *cfgFile)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.conf().Google.ClientID == "" {
		return fmt.Errorf("[google] client_id and client_secret_file are not set: create an OAuth client (type: web application, redirect URI %s/connect/google/callback) in the Google Cloud console and put them in the config",
			a.conf().PublicURL)
	}
	store, err := a.google.Tokens()
	if err != nil {
		return err
	}
	account, err := google.ConnectCLI(ctx, e.stdout, os.Stdin, a.oauthApp(), store, a.googleOptions(""))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Connected %s. Add a [[calendar]] with type = \"google\" and email = %q, or reload the daemon if it is there already.\n", account, account)
	return nil
}
