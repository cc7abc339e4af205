// The membership form of the code-run tests and benchmark (test/fixtures/sites/code-signup*.html):
// its workflow parameters, the navigation block that signs up, and the scripted model that does it
// from the values in the block's goal.
import { act, check, click, select, simpleBrain, type, type Brain } from '../../agent/support/scripted-agent.ts';

export const CODE_SIGNUP_WELCOME = /Welcome, [^!]+! Your Pro membership is active\./;

/** YAML lines (indented for `workflow_definition:`): the form's parameters. */
export const CODE_SIGNUP_PARAMETERS = `
  parameters:
    - { key: site_url, parameter_type: workflow, workflow_parameter_type: string }
    - { key: full_name, parameter_type: workflow, workflow_parameter_type: string }
    - { key: email, parameter_type: workflow, workflow_parameter_type: string }
    - { key: country, parameter_type: workflow, workflow_parameter_type: string }`;

/** YAML lines (indented for `blocks:`): the block that signs up on `url`; `marker` routes its calls to `codeSignupBrain`. */
export const codeSignupBlock = (url: string, marker: string) => `
    - block_type: navigation
      label: sign_up
      url: "${url}"
      navigation_goal: "Become a member as {{ full_name }} <{{ email }}> from {{ country }} on the Pro plan, accepting the terms. ${marker}"`;

/** Fills the form with the person named in the goal, on the original page or the redesign. */
export const codeSignupBrain: Brain = simpleBrain(CODE_SIGNUP_WELCOME, (call) => {
  const [, name, email, country] = /as (.+) <(.+)> from (.+) on the Pro plan/.exec(call.goal)!;
  return act('Fill in the membership form and send it',
    type(call.page.find('Full name'), name!), type(call.page.find('Email'), email!), select(call.page.find('Country'), country!),
    click(call.page.find('Pro', 'input')), check(call.page.find('I agree to the terms')), click(call.page.find(/^Create (my )?account$/, 'button')));
});
