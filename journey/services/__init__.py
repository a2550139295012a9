"""The mentorship journey's state changes, one module per part: agreements, meetings,
planning (the next meeting), check-ins, concerns, course (extend, pause, not a good fit) and
endings (completion, feedback, certificates). Errors are mentorship.services' ServiceErrors."""
