import { TerraformElement } from 'cdktf';
import { Construct } from 'constructs';

/** A Terraform `moved` block: the state's object at `from` now belongs to `to`. */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/** What {@link StateBlocks} writes. */
export interface StateBlocksProps {
  /**
   * `moved` blocks.
   * @default - none
   */
  readonly moved?: readonly MovedBlock[];
  /**
   * Addresses Terraform forgets instead of destroying when they leave the configuration: `removed`
   * blocks with `lifecycle { destroy = false }` (Terraform 1.7 or later).
   * @default - none
   */
  readonly forgotten?: readonly string[];
}

/**
 * Top-level `moved` and `removed` blocks. CDKTF offers one move per resource (`moveFromId`) and no
 * `removed` block, while a layer renamed twice needs a chain of moves and a retained namespace a
 * `removed` block for an address that is no longer a resource; so the blocks are written as a
 * Terraform element of their own, which the stack merges with the others (lists are concatenated).
 */
export class StateBlocks extends TerraformElement {
  private readonly props: StateBlocksProps;

  constructor(scope: Construct, id: string, props: StateBlocksProps) {
    super(scope, id);
    this.props = props;
  }

  /** The blocks as Terraform JSON. */
  public override toTerraform(): Record<string, unknown> {
    const moved = (this.props.moved ?? []).map((m) => ({ from: m.from, to: m.to }));
    const removed = (this.props.forgotten ?? []).map((from) => ({ from, lifecycle: { destroy: false } }));
    return { ...(moved.length > 0 ? { moved } : {}), ...(removed.length > 0 ? { removed } : {}) };
  }

  /** HCL output has no renderer for `removed` blocks in CDKTF 0.21. */
  public override toHclTerraform(): Record<string, unknown> {
    throw new Error(`${this.node.path}: moved and removed blocks (pack.previousNames, pack.retainNamespace, manifest layers installed as generated charts) need JSON output; unset SYNTH_HCL_OUTPUT`);
  }
}
