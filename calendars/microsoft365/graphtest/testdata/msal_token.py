"""Obtain an app-only token from the graphtest fake with Microsoft's MSAL for
Python (Debian's python3-msal), as a confidential client.

Usage: msal_token.py AUTHORITY CLIENT_ID SECRET CA_FILE
Prints one JSON object: MSAL's result dict (access_token, expires_in, or
error, error_description, error_codes), or {"exception": "..."} when MSAL
raised (it does for an authority whose tenant discovery fails).
"""
import json
import sys

import msal


def main():
    authority, client_id, secret, ca_file = sys.argv[1:5]
    host = authority.rsplit("/", 1)[0]
    try:
        app = msal.ConfidentialClientApplication(
            client_id,
            client_credential=secret,
            authority=authority,
            verify=ca_file,
            # MSAL asks the world-wide instance discovery endpoint about
            # unknown hosts; point it at the fake's own.
            instance_discovery=host + "/common/discovery/instance",
        )
        result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
        if "access_token" in result:
            # A second call must come from MSAL's cache, not the token
            # endpoint. (After a failure MSAL 1.21 would look for authority
            # aliases at the world-wide host, which is not reachable here.)
            again = app.acquire_token_silent(["https://graph.microsoft.com/.default"], account=None) or {}
            result["cached_same_token"] = again.get("access_token") == result["access_token"]
    except Exception as e:  # report, the Go test asserts
        result = {"exception": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
