"""Operations: the kiosk's own files, folders, configuration, logs and supervisor, pure Python.

`paths` (the app name and every platform folder), `config` (kiosk.yaml), `settings` (one
run's settings, resolved once), `logs`, `notices` (best-effort writes and operations notices),
`status` (the status file), `notify` (systemd's sd_notify), `fleet` (`kiosk status`), `pin`
(`kiosk pin`) and `version` (the installed version).
"""
