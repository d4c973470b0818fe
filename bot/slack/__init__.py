"""Slack in and out: the Bolt app, its listeners, Block Kit. Knows nothing of NLP.

    app.py        serve(): Bolt AsyncApp over HTTP (aiohttp, /slack/events) or Socket Mode
    runtime.py    what listeners share: settings, store, pipeline, Web API client, work queue
    listeners/    events (messages, mentions, link_shared), commands (/claims...), actions (share button)
    replies.py    the work after an ack: placeholder → analysis → edited reply, response_url answers
    recovery.py   replies owed by a process that died, finished by a survivor
    work.py       the bounded pool of analyses
    blocks.py     Analysis → Block Kit within Slack's limits, every article string escaped
"""
