"""One-line statements of the protocol's rules, shown beside a refusal or an incident."""

RULES: dict[str, str] = {
    "AMMO-1": "Live ammunition is never part of a production's inventory.",
    "AMMO-2": "A dummy lot is verified round by round before any round of it is loaded.",
    "AMMO-3": "A lot of unknown or carried-over origin is quarantined until verified.",
    "AMMO-4": "Only an armorer holding both weapon and lot loads it, caliber and capacity matching.",
    "AMMO-5": "Every round is accounted for: received = in container + in weapons + fired + removed.",
    "CUST-1": "A weapon or lot leaves storage only into an armorer's custody; never unattended.",
    "CUST-2": "A hand-over needs the receiver's acknowledgement.",
    "CUST-3": "Only an armorer hands a weapon to a performer and takes it back.",
    "CUST-4": "A custody change makes the weapon unverified and clears its declaration.",
    "ROLE-0": "This command needs one of the roles named for it.",
    "ROLE-1": "The armorer has no other duties on the production.",
    "ROLE-2": "Acting as armorer needs an armorer licence valid that day.",
    "ROLE-3": "A performer needs training, a briefing and that day's safety meeting.",
    "SAFE-1": "A weapon leaves storage only after that day's safety meeting for its setup.",
    "SAFE-2": "An inspection by an armorer covers every chamber.",
    "SAFE-3": "A declaration follows a full matching inspection and is shown to a first AD.",
    "SAFE-4": "A hand-over to a performer needs a fresh declaration shown to them and a setup today.",
    "SAFE-5": "Blanks only for a setup with blanks; close or muzzle-toward shots need shields.",
    "SAFE-6": "A discharge that is not a planned hot firing is an accidental discharge.",
    "SAFE-7": "Rehearsals follow the same rules as takes.",
    "HOLD-1": "A held item can't leave storage, be loaded, declared or handed to a performer.",
    "HOLD-2": "Only an armorer or the safety advisor releases a hold.",
    "INC-1": "An incident closes with the safety advisor's and a producer's findings.",
    "INC-2": "An accidental discharge or misfire puts the weapon on hold.",
    "INC-3": "Items of an open incident are frozen as evidence.",
    "RECON": "A witnessed count must match the records.",
    "WRAP": "A day wraps only when everything is stored, inspected and counted.",
    "COMPLAINT": "A safety complaint stays open until the safety advisor responds.",
    "LEDGER-1": "Every command, accepted or refused, is recorded.",
    "LEDGER-3": "A correction is a new entry pointing at the one it corrects.",
    "INPUT": "The form was incomplete or a value was not valid; nothing was recorded.",
}


def rule_text(rule: str | None) -> str:
    """The statement of a rule id, or an empty string for an unknown one."""
    return RULES.get(rule or "", "")
