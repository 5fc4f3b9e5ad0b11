package org.tandemcds.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;

/**
 * The image network ({@link ImageNetwork}) initialised on a device, with either fresh random
 * parameters (before training) or parameters from a verified model directory.
 *
 * <p>Owns a DJL {@link Model} and its NDManager: close it once, when the application closes. The
 * parameters are read-only during inference and may be shared by predictors on several threads;
 * each thread needs its own predictor.
 */
public final class ImageModel implements AutoCloseable {
  private final Model model;
  private final ImageNetworkSpec spec;

  private ImageModel(Model model, ImageNetworkSpec spec) {
    this.model = model;
    this.spec = spec;
  }

  /** A network with freshly initialised parameters (DJL's default Xavier initialisation). */
  public static ImageModel initialised(ImageNetworkSpec spec, Device device) {
    Model model = Model.newInstance("tandem-image", device, Devices.PYTORCH);
    Block block = ImageNetwork.build(spec);
    block.initialize(model.getNDManager(), DataType.FLOAT32, ImageNetwork.inputShape(spec, 1));
    model.setBlock(block);
    return new ImageModel(model, spec);
  }

  /**
   * A network whose parameters are read from a verified model directory.
   *
   * @throws org.tandemcds.domain.CdsException see {@link VerifiedModel#loadParameters}
   */
  public static ImageModel load(
      VerifiedModel artifacts, String parametersFile, ImageNetworkSpec spec, Device device) {
    ImageModel image = initialised(spec, device);
    try {
      artifacts.loadParameters(parametersFile, image.block(), image.model.getNDManager());
      return image;
    } catch (RuntimeException e) {
      image.close();
      throw e;
    }
  }

  /** The DJL model (for predictors and trainers in model code). */
  public Model model() {
    return model;
  }

  public Block block() {
    return model.getBlock();
  }

  public ImageNetworkSpec spec() {
    return spec;
  }

  @Override
  public void close() {
    model.close();
  }
}
