"""What the widgets' tests send: the same-origin header a browser adds, and a guide to vote on."""


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


JSON = {**SAME_ORIGIN, "Accept": "application/json"}


GUIDE = "/posobie/kto-poluchaet"
