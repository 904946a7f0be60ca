"""Print the proposal lifecycle from the state machine itself, so the diagram cannot drift from the code."""

from django.core.management.base import BaseCommand

from workflows import lifecycle, permissions
from workflows.states import State

WHO = {
    permissions.office: "office",
    permissions.office_or_team_lead: "office or team lead",
    permissions.system: "system",
}


class Command(BaseCommand):
    help = "Print the proposal lifecycle as a Mermaid (default) or Graphviz graph."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["mermaid", "dot", "table"], default="mermaid")

    @staticmethod
    def who(transition) -> str:
        who = WHO.get(transition.custom["permission"], "?")
        if transition.custom.get("system") and transition.custom["permission"] is not permissions.system:
            who += ", through the review round"
        return who

    def handle(self, *args, format, **options):
        edges = [
            (str(t.source), str(t.target), t.name, self.who(t), [c.code for c in t.conditions])
            for t in lifecycle.all_transitions()
        ]
        if format == "mermaid":
            self.stdout.write("stateDiagram-v2")
            self.stdout.write(f"    [*] --> {State.IDEA}")
            for source, target, name, who, _ in edges:
                self.stdout.write(f"    {source} --> {target}: {name} ({who})")
        elif format == "dot":
            self.stdout.write("digraph lifecycle {\n    rankdir=LR;")
            for source, target, name, who, _ in edges:
                self.stdout.write(f'    {source} -> {target} [label="{name}\\n{who}"];')
            self.stdout.write("}")
        else:
            self.stdout.write(
                "| transition | from | to | who | blocked with reason code |\n| --- | --- | --- | --- | --- |"
            )
            for source, target, name, who, conditions in edges:
                self.stdout.write(
                    f"| `{name}` | {source} | {target} | {who} | {', '.join(conditions) or '–'} |"
                )
